/**
 * SIGTERM and SIGHUP end a run the way Ctrl-C does (children stopped, manifest saved, staging folders
 * removed, "Cancelled during <step>", exit 143 / 129), and one project takes one run at a time.
 * A stand-in that never answers holds the run at the step while the signal is sent.
 */
import { mkdtempSync, readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { describe, expect, it, vi } from 'vitest';
import type { Fault } from '../world/faults.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { useWorld } from '../helpers/use-world.js';

vi.setConfig({ testTimeout: 6 * 60_000 });

const world = useWorld();
const LOCK = '.create-authkit-convex.lock';
const forever = 1000;

const emptyDir = () => mkdtempSync(path.join(os.tmpdir(), 'cak-signal-'));

/**
 * Through the npm registry stand-in, asking it each time: npx would otherwise take create-next-app's
 * metadata from the cache an earlier run of this file filled, and never reach the stand-in.
 */
const askingNpm = () => ({ ...world().npm.env(), npm_config_prefer_offline: 'false', npm_config_prefer_online: 'true', npm_config_fetch_retries: '0' });

function start(args: string[], cwd: string, env: Record<string, string> = {}) {
  return execa(process.execPath, [cliPath, ...args], {
    cwd,
    env: { CI: 'true', npm_config_prefer_offline: 'true', ...world().env(), ...env },
    all: true,
    reject: false,
    stdin: 'ignore',
    timeout: 5 * 60_000,
  });
}

/** Waits until the stand-in holds a request with `fault` (the run is then inside the step). */
async function held(fault: Fault) {
  await vi.waitFor(() => expect(fault.taken ?? 0).toBeGreaterThan(0), { timeout: 3 * 60_000, interval: 100 });
}

/** Processes whose working directory is `dir` or inside it (Linux: /proc). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(dir + path.sep)) pids.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

/** The WorkOS key check never answers: a run holds there, with no child process running. */
function holdAtVerify(): Fault {
  const fault: Fault = { hang: true, times: forever };
  world().workos.fail({ method: 'GET', path: '/webhook_endpoints' }, fault);
  return fault;
}

describe('SIGTERM and SIGHUP', () => {
  it('SIGTERM during the install stops npm install, saves the manifest, exits 143', async () => {
    const app = await preparedApp(world(), 'sigterm-install', 'create-app');
    const fault: Fault = { hang: true, times: forever };
    world().npm.fail({ path: /.*/ }, fault);
    const child = start(['sigterm-install', '--yes'], path.dirname(app), { ...world().npm.env(), npm_config_fetch_retries: '0' });
    await held(fault);
    // npm install is running in the project now.
    expect(processesIn(app).length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    const run = await child;
    expect(run.exitCode, String(run.all)).toBe(143);
    expect(run.stderr).toMatch(/Cancelled during .*"Install dependencies"/);
    await vi.waitFor(() => expect(processesIn(app)).toEqual([]), { timeout: 10_000, interval: 200 });
    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.completedSteps['create-app']).toBeTruthy();
    expect(manifest.completedSteps.install).toBeUndefined();
    expect(await fs.pathExists(path.join(app, LOCK))).toBe(false);
  });

  // That the same command then completes (a whole scaffold) is fault-matrix.test.ts's "create-app under SIGINT".
  it('SIGTERM during create-next-app leaves no staging folder and no process', async () => {
    const cwd = emptyDir();
    const fault: Fault = { hang: true, times: forever };
    world().npm.fail({ path: '/create-next-app' }, fault);
    const child = start(['sigterm-cna', '--yes'], cwd, askingNpm());
    await held(fault);
    child.kill('SIGTERM');
    const run = await child;
    world().clearFaults();
    expect(run.exitCode, String(run.all)).toBe(143);
    expect(run.stderr).toMatch(/Cancelled during "Create the Next.js app"/);
    await vi.waitFor(() => expect(processesIn(cwd)).toEqual([]), { timeout: 10_000, interval: 200 });
    // Neither a staging folder nor a half-made project (nor its lock).
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('SIGHUP exits 129 with the same message, leaving nothing behind', async () => {
    const cwd = emptyDir();
    const fault = holdAtVerify();
    const child = start(['sighup-app', '--yes'], cwd);
    await held(fault);
    child.kill('SIGHUP');
    const run = await child;
    expect(run.exitCode, String(run.all)).toBe(129);
    expect(run.stderr).toMatch(/Cancelled during "Verify the WorkOS keys"/);
    expect(run.stderr).toMatch(/Fix: Run the same command again/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('one run at a time per project', () => {
  it('a second run while the first is alive exits 2 naming its pid; the first is unharmed', async () => {
    const cwd = emptyDir();
    const fault = holdAtVerify();
    const first = start(['locked-app', '--yes'], cwd);
    await held(fault);
    const second = await runCli(['locked-app', '--yes'], { cwd, env: world().env() });
    expect(second.exitCode, second.all).toBe(2);
    expect(second.stderr).toContain(`pid ${first.pid}`);
    expect(second.stderr).toMatch(/Fix: .*kill/);
    // The first run still holds its lock.
    expect(await fs.readJson(path.join(cwd, 'locked-app', LOCK))).toMatchObject({ pid: first.pid });
    first.kill('SIGINT');
    expect((await first).exitCode).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a stale lock (its process is gone) is taken over', async () => {
    const cwd = emptyDir();
    const app = path.join(cwd, 'stale-app');
    const gone = execa(process.execPath, ['-e', '']);
    await gone;
    await fs.outputJson(path.join(app, LOCK), { pid: gone.pid, startedAt: new Date(0).toISOString() });
    // Stopped at the first step with bad input: what matters is that the run got past the lock.
    const run = await runCli(['stale-app', '--yes'], { cwd, env: { ...world().env(), WORKOS_API_KEY: 'sk_test_notTheRightKey000000' } });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.stderr).toMatch(/WorkOS rejected the API key/);
    expect(run.stderr).not.toContain(`pid ${gone.pid}`);
    expect(readdirSync(app)).toEqual([]);
  });

  it('a staging folder that a killed run left is removed by the next run', async () => {
    const cwd = emptyDir();
    const leftover = path.join(cwd, '.create-authkit-convex-staged-app-AbC123');
    await fs.outputFile(path.join(leftover, 'staged-app', 'package.json'), '{}');
    // Another project's staging folder in the same parent is not this run's to remove.
    const other = path.join(cwd, '.create-authkit-convex-staged-app-2-XyZ789');
    await fs.ensureDir(other);
    // The run is stopped once it asks the registry: create-next-app's folder is staged by then.
    const fault: Fault = { hang: true, times: forever };
    world().npm.fail({ path: /.*/ }, fault);
    const child = start(['staged-app', '--yes'], cwd, askingNpm());
    await held(fault);
    expect(await fs.pathExists(leftover)).toBe(false);
    child.kill('SIGTERM');
    const run = await child;
    expect(run.exitCode, String(run.all)).toBe(143);
    expect(readdirSync(cwd).sort()).toEqual([path.basename(other)]);
  });
});
