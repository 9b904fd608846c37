/**
 * No secret lands in any file a run leaves behind: not in the temp folder (the run's log), not in the
 * home folder, not in the project (besides .env.local, where the keys belong). Reruns are where this
 * used to break: they read the deployment's variables back (values included) and knew none of them.
 * Each case runs with a TMPDIR and HOME of its own, and searches every file under them.
 */
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { startWorld, type World } from '../helpers/world.js';

vi.setConfig({ testTimeout: 8 * 60_000 });

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

/** A TMPDIR and a HOME of their own. */
function sandbox() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cak-secrets-'));
  const tmp = path.join(root, 'tmp');
  const home = path.join(root, 'home');
  fs.ensureDirSync(tmp);
  fs.ensureDirSync(home);
  return { tmp, home, env: { ...world.env(), TMPDIR: tmp, HOME: home } };
}

/** Every regular file under `dir`, but node_modules and .env.local. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...(await filesUnder(full)));
    } else if (entry.isFile() && entry.name !== '.env.local') {
      out.push(full);
    }
  }
  return out;
}

/** The secrets of the world, checked to hold one of each kind (so that the search is not vacuous). */
function allSecrets(): string[] {
  const secrets = world.secrets();
  expect(secrets).toContain(world.workos.apiKey);
  expect(secrets).toContain(world.convex.token);
  expect(world.workos.state.webhookEndpoints.length).toBeGreaterThan(0);
  expect(world.convex.state.deployments.length).toBeGreaterThan(0);
  expect(secrets.filter((s) => /^[A-Za-z0-9_-]{43}$/.test(s)).length, 'a cookie password').toBeGreaterThan(0);
  return secrets;
}

/** Searches every file under the dirs; returns the files searched. */
async function expectNoSecretIn(dirs: string[]): Promise<string[]> {
  const secrets = allSecrets();
  const files = (await Promise.all(dirs.map(filesUnder))).flat();
  for (const file of files) {
    const text = (await fs.readFile(file)).toString('latin1');
    for (const secret of secrets) expect(text.includes(secret), `${file} holds a secret`).toBe(false);
  }
  return files;
}

function expectNoSecretInOutput(run: CliRun) {
  for (const secret of world.secrets()) expect(run.all).not.toContain(secret);
}

/** A successful run leaves no log behind. */
async function expectNoLog(tmp: string) {
  expect((await fs.readdir(tmp)).filter((f) => f.startsWith('create-authkit-convex'))).toEqual([]);
}

/** A failed run keeps its log and says where it is. */
function keptLog(run: CliRun, tmp: string): string {
  const logFile = /Full log: (\S+)/.exec(run.all)?.[1];
  expect(logFile, run.all).toBeTruthy();
  expect(logFile!.startsWith(tmp + path.sep)).toBe(true);
  expect(fs.readFileSync(logFile!, 'utf8')).toMatch(/^\$ /m);
  return logFile!;
}

/** Only the user may read it, or even list its folder. */
function expectPrivate(logFile: string) {
  expect(statSync(logFile).mode & 0o777).toBe(0o600);
  expect(statSync(path.dirname(logFile)).mode & 0o777).toBe(0o700);
}

describe('no secret in any file a run leaves', () => {
  const name = 'secret-files';
  let app: string;

  it('a scaffold without webhooks, then --add-webhooks', async () => {
    const box = sandbox();
    app = await preparedApp(world, name);
    const created = await runCli([name, '--yes', '--no-webhooks'], { cwd: path.dirname(app), env: box.env, timeoutMs: 8 * 60_000 });
    expect(created.exitCode, created.all).toBe(0);
    const added = await runCli(['--add-webhooks'], { cwd: app, env: box.env, timeoutMs: 8 * 60_000 });
    expect(added.exitCode, added.all).toBe(0);
    expect(world.workos.state.webhookEndpoints.length).toBe(1);
    for (const run of [created, added]) expectNoSecretInOutput(run);
    const files = await expectNoSecretIn([box.tmp, box.home, app]);
    expect(files).toContain(path.join(app, 'authkit-convex.json'));
    await expectNoLog(box.tmp);
    // The run's lock is gone, and was never committed.
    expect(await fs.pathExists(path.join(app, '.create-authkit-convex.lock'))).toBe(false);
    expect(await fs.readFile(path.join(app, '.gitignore'), 'utf8')).toContain('.create-authkit-convex.lock');
  });

  it('--add-sso, which reads back a deployment that holds the webhook secret', async () => {
    const box = sandbox();
    const run = await runCli(['--add-sso'], { cwd: app, env: box.env, timeoutMs: 8 * 60_000 });
    expect(run.exitCode, run.all).toBe(0);
    expectNoSecretInOutput(run);
    await expectNoSecretIn([box.tmp, box.home, app]);
    await expectNoLog(box.tmp);
  });

  it('a run that fails at the push, fails again on resuming, then completes', async () => {
    const box = sandbox();
    const resumed = await preparedApp(world, 'secret-resume');
    const run = () => runCli(['secret-resume', '--yes'], { cwd: path.dirname(resumed), env: box.env, timeoutMs: 8 * 60_000 });
    const refusePush = () =>
      world.convex.fail({ path: /\/deploy2\/start_push$/ }, { status: 400, body: { code: 'SchemaValidationError', message: 'push refused by the test world' }, times: 1000 });

    refusePush();
    const first = await run();
    // The second failure resumes a project whose deployment already holds the webhook secret.
    const second = await run();
    world.convex.clearFaults();
    for (const failed of [first, second]) {
      expect(failed.exitCode, failed.all).toBe(1);
      expect(failed.stderr).toMatch(/Push to Convex failed/);
      expectNoSecretInOutput(failed);
    }
    const logs = [keptLog(first, box.tmp), keptLog(second, box.tmp)];
    expect(new Set(logs).size).toBe(2);
    const done = await run();
    expect(done.exitCode, done.all).toBe(0);
    expectNoSecretInOutput(done);

    const files = await expectNoSecretIn([box.tmp, box.home, resumed]);
    for (const log of logs) expect(files).toContain(log);
    for (const log of logs) expectPrivate(log);
  });
});
