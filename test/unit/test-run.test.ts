/**
 * `test/run` installs Chromium only when the browser tests are among the files it will run. Chromium
 * is made to look missing (CHROMIUM_PATH), and apt-get is a stand-in that records the call and fails,
 * so a run that wants the browser stops right there instead of running the suite.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

function runTestRun(args: string[]) {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'cak-testrun-'));
  const calls = path.join(bin, 'apt-get.calls');
  writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh\necho "$*" >> '${calls}'\nexit 1\n`);
  // As root, as on CI (the only case where test/run installs anything).
  writeFileSync(path.join(bin, 'id'), '#!/bin/sh\necho 0\n');
  for (const f of ['apt-get', 'id']) chmodSync(path.join(bin, f), 0o755);
  // The vitest running this file must not leak into the one test/run starts.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV'));
  const run = execa(path.join(repoRoot, 'test/run'), args, {
    cwd: repoRoot,
    env: { ...env, PATH: `${bin}:${process.env.PATH}`, CHROMIUM_PATH: path.join(bin, 'no-chromium') },
    extendEnv: false,
    all: true,
    reject: false,
    // Its own process group: if it goes on to run a whole suite, the group is stopped.
    detached: true,
  });
  const stop = setTimeout(() => {
    try {
      process.kill(-run.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 60_000);
  return run.finally(() => clearTimeout(stop)).then((r) => ({ ...r, aptCalls: existsSync(calls) ? readFileSync(calls, 'utf8') : '' }));
}

describe('test/run and the browser', () => {
  it('test/run test/unit does not install a browser', async () => {
    // A name no test has: vitest collects the unit files and runs nothing (so not this file again).
    const r = await runTestRun(['test/unit', '-t', 'no test is named like this', '--passWithNoTests']);
    expect(r.aptCalls).toBe('');
    expect(r.all).not.toContain('installing chromium');
    expect(r.exitCode, r.all).toBe(0);
  }, 90_000);

  it.each([[[]], [['test/browser']]])('test/run %j installs it when missing (and stops if it cannot)', async (args) => {
    const r = await runTestRun(args);
    expect(r.aptCalls).toContain('update');
    expect(r.all).toContain('could not install chromium');
    expect(r.exitCode).toBe(1);
  }, 90_000);
});
