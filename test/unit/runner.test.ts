import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addSecret, redact } from '../../src/secrets.js';
import { CommandFailedError, run, setLogFile } from '../../src/systems/runner.js';

const secret = 'sk_test_runnerSecret0123456789';
addSecret(secret);
const dir = mkdtempSync(path.join(os.tmpdir(), 'cak-runner-'));

describe('runner', () => {
  it('hands a secret over stdin and redacts it from output and the log', async () => {
    const log = path.join(dir, 'run.log');
    setLogFile(log);
    const lines: string[] = [];
    const result = await run(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], {
      cwd: dir,
      input: `KEY=${secret}\n`,
      onLine: (l) => lines.push(l),
    });
    setLogFile(undefined);
    expect(result.output).toContain('KEY=[redacted]');
    expect(result.output).not.toContain(secret);
    expect(lines).toContain('KEY=[redacted]');
    const logged = readFileSync(log, 'utf8');
    expect(logged).toContain('KEY=[redacted]');
    expect(logged).not.toContain(secret);
  });

  it('refuses to put a secret in argv', async () => {
    await expect(run('echo', [`--key=${secret}`], { cwd: dir })).rejects.toThrow(/secret in argv/);
  });

  it('records argv when asked, and fails with the exit code and redacted output', async () => {
    const argvLog = path.join(dir, 'argv.log');
    process.env.CREATE_AUTHKIT_CONVEX_ARGV_LOG = argvLog;
    const error = await run(process.execPath, ['-e', `console.error(process.env.S); process.exit(3)`], {
      cwd: dir,
      env: { S: secret },
    }).catch((e) => e);
    delete process.env.CREATE_AUTHKIT_CONVEX_ARGV_LOG;
    expect(error).toBeInstanceOf(CommandFailedError);
    expect(error.result.exitCode).toBe(3);
    expect(error.result.output).toContain('[redacted]');
    expect(error.result.output).not.toContain(secret);
    const recorded = readFileSync(argvLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(recorded.at(-1).args[0]).toBe('-e');
  });

  it('redacts every registered secret', () => {
    addSecret('admin-key|0123456789');
    expect(redact(`a ${secret} b admin-key|0123456789`)).toBe('a [redacted] b [redacted]');
  });
});
