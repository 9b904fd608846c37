import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addSecret, redact } from '../../src/secrets.js';
import { registryFix } from '../../src/systems/package-manager.js';
import { cancelChildren, CommandFailedError, run, setLogFile } from '../../src/systems/runner.js';

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

  it('gives up on a child after its timeout, saying so', async () => {
    const error = await run(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { cwd: dir, timeoutMs: 300 }).catch((e) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    expect(error.timedOut).toBe(true);
    expect(error.message).toMatch(/timed out after 0 s|timed out/);
  });

  it('names npm\'s registry failures with what to do', () => {
    expect(registryFix('npm error code E401\nnpm error 401 Unauthorized - GET http://127.0.0.1:1/x')).toMatch(/credentials.*npm login/);
    expect(registryFix('npm error code ECONNRESET\nnpm error network request failed')).toMatch(/did not answer.*network/);
    expect(registryFix('npm error code FETCH_ERROR\nnpm error network timeout at: http://127.0.0.1:1/x')).toMatch(/network/);
    expect(registryFix('npm error code E503')).toMatch(/network/);
    expect(registryFix('npm error code ERESOLVE\nnpm error could not resolve')).toBeUndefined();
  });

  it('withholds the output of a command that prints secrets, registering them first; the log is 0600', async () => {
    const log = path.join(dir, 'secret-output.log');
    setLogFile(log);
    const lines: string[] = [];
    const printed = 'FOO_SECRET=printedSecret0123\nPLAIN=http://example.test\n';
    const result = await run(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], {
      cwd: dir,
      input: printed,
      onLine: (l) => lines.push(l),
      secretsIn: (stdout) => [/FOO_SECRET=(.*)/.exec(stdout)?.[1]],
    });
    setLogFile(undefined);
    expect(result.rawStdout).toBe(printed);
    expect(result.output).toContain('FOO_SECRET=[redacted]');
    expect(lines).toEqual([]);
    expect(redact('x printedSecret0123 y')).toBe('x [redacted] y');
    const logged = readFileSync(log, 'utf8');
    expect(logged).not.toContain('printedSecret0123');
    expect(logged).not.toContain('PLAIN=');
    expect(statSync(log).mode & 0o777).toBe(0o600);
  });

  it('reports whether Ctrl-C found a child to stop (last: it cancels every later run)', async () => {
    const child = run(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { cwd: dir });
    await new Promise((r) => setTimeout(r, 200));
    expect(cancelChildren()).toBe(true);
    const error = await child.catch((e) => e);
    expect(error.result.exitCode).toBe(130);
    expect(cancelChildren()).toBe(false);
  });

  it('redacts every registered secret', () => {
    addSecret('admin-key|0123456789');
    expect(redact(`a ${secret} b admin-key|0123456789`)).toBe('a [redacted] b [redacted]');
  });
});
