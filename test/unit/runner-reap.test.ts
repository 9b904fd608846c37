/** The runner's reapGroup (a file of its own: runner.test.ts cancels every later child of its module). */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/systems/runner.js';

describe('runner: reapGroup', () => {
  // What the convex CLI does with a local backend: starts a server and exits without stopping it.
  const leavesAServer = ['-c', 'node -e "setInterval(() => {}, 1000)" >/dev/null 2>&1 & echo $! > "$PIDFILE"'];
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('stops what the command left running in its process group, and waits for it', async () => {
    const pidFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-reap-')), 'pid');
    await run('sh', leavesAServer, { cwd: os.tmpdir(), env: { PIDFILE: pidFile }, reapGroup: true });
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('without it, the leftover keeps running (what the option is for)', async () => {
    const pidFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-reap-')), 'pid');
    await run('sh', leavesAServer, { cwd: os.tmpdir(), env: { PIDFILE: pidFile } });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
  });
});
