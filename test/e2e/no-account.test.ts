/**
 * --no-account: a local anonymous Convex deployment (the real convex CLI's own anonymous mode, running
 * the local backend stand-in it finds in its cache) and an unclaimed WorkOS environment. The refusals
 * run the real CLI only as far as option checks; the full run finishes a copy of the shared prepared
 * app (no new scaffold).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import fs from 'fs-extra';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONVEX_LOCAL_BACKEND_VERSION } from '../../src/versions.js';
import { runCli } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { useWorld } from '../helpers/use-world.js';
import { installLocalBackend, localBackendState, versionApiPreload } from '../world/convex/local-backend/install.js';

vi.setConfig({ testTimeout: 3 * 60_000 });

const world = useWorld();
const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'cak-noaccount-'));

/** Someone with no account: no WorkOS keys, no Convex login. */
const noAccount = () => ({
  ...world().env(),
  WORKOS_API_KEY: undefined,
  WORKOS_CLIENT_ID: undefined,
  CONVEX_OVERRIDE_ACCESS_TOKEN: undefined,
  // Nor a Convex account API of its own: the convex CLI keeps its usual folders (~/.cache/convex).
  CONVEX_PROVISION_HOST: undefined,
  // The convex CLI asks version.convex.dev for the newest local backend (see install.ts).
  NODE_OPTIONS: `--import ${versionApiPreload}`,
  CAK_TEST_LOCAL_BACKEND_VERSION: CONVEX_LOCAL_BACKEND_VERSION,
});

beforeAll(() => {
  installLocalBackend(world().home, CONVEX_LOCAL_BACKEND_VERSION);
});

describe('--no-account refuses what contradicts it, before anything is written or called', () => {
  it.each([
    [['--workos-client-id', 'client_01UNITTEST0000'], '--workos-client-id was given'],
    [['--workos-managed'], '--workos-managed was given'],
    [['--convex-url', 'http://127.0.0.1:9', '--convex-admin-key', 'self-hosted|abc123'], '--convex-url was given'],
  ])('--no-account %j: exit 2', async (extra, words) => {
    const cwd = scratch();
    const run = await runCli(['app', '--yes', '--no-account', ...extra], { cwd, env: noAccount() });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('--no-account makes a local Convex deployment and a new unclaimed WorkOS environment');
    expect(run.all).toContain(words);
    expect(readdirSync(cwd)).toEqual([]);
    expect(world().workos.oneShot.made).toEqual([]);
  });

  it('a key in the environment is refused too', async () => {
    const run = await runCli(['app', '--yes', '--no-account'], { cwd: scratch(), env: { ...noAccount(), WORKOS_API_KEY: 'sk_test_unitTestKey0123456789' } });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('WORKOS_API_KEY (in the environment) was given');
  });
});

describe('a project without any account, start to finish', () => {
  const name = 'local-app';
  let app: string;

  it('finishes with a local deployment that got every variable, then the push, and an unclaimed environment whose token stays in .env.local', async () => {
    app = await preparedApp(world(), name);
    const argvLog = path.join(scratch(), 'argv.jsonl');
    const before = world().convex.requests.length;
    const run = await runCli([name, '--yes', '--no-account'], { cwd: path.dirname(app), env: { ...noAccount(), CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog }, timeoutMs: 8 * 60_000 });
    expect(run.exitCode, run.all).toBe(0);

    // WorkOS: one unclaimed environment, configured, with no webhook endpoint (it could not reach us).
    expect(world().workos.oneShot.made).toHaveLength(1);
    const shot = world().workos.oneShot.made[0]!;
    expect(shot.claimed).toBe(false);
    expect(shot.env.state.redirectUris).toContain('http://localhost:3000/callback');
    expect(shot.env.state.webhookEndpoints).toEqual([]);

    // .env.local: the local deployment, the environment's keys and its claim token; 0600.
    const file = path.join(app, '.env.local');
    const local = dotenv.parse(readFileSync(file, 'utf8'));
    expect(local.CONVEX_DEPLOYMENT).toMatch(/^anonymous:/);
    expect(local.NEXT_PUBLIC_CONVEX_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(local.WORKOS_CLIENT_ID).toBe(shot.env.clientId);
    expect(local.WORKOS_API_KEY).toBe(shot.env.apiKey);
    expect(local.WORKOS_CLAIM_TOKEN).toBe(shot.claimToken);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(app, '.gitignore'), 'utf8')).toMatch(/^\.env\*?(\.local)?$/m);
    // The local deployment's state (its admin key and instance secret) is never committed either.
    expect(readFileSync(path.join(app, '.convex', '.gitignore'), 'utf8').trim()).toBe('/*');

    // The local backend (the stand-in binary the convex CLI ran): every variable, set before the push.
    const backend = localBackendState(app)!;
    expect(backend.env.WORKOS_CLIENT_ID).toBe(shot.env.clientId);
    expect(backend.env.WORKOS_API_KEY).toBe(shot.env.apiKey);
    expect(backend.env.WORKOS_WEBHOOK_SECRET).toBeUndefined();
    const paths = backend.requests.map((r) => r.path);
    const set = paths.indexOf('/api/update_environment_variables');
    expect(set).toBeGreaterThanOrEqual(0);
    expect(paths.findIndex((p) => p.includes('start_push'))).toBeGreaterThan(set);
    expect(backend.pushes.length).toBeGreaterThan(0);
    expect(backend.flags).toEqual(expect.arrayContaining(['--port', '--site-proxy-port', '--instance-name', '--instance-secret', '--local-storage']));
    // And it is stopped at the end.
    const port = new URL(local.NEXT_PUBLIC_CONVEX_URL!).port;
    await expect(fetch(`http://127.0.0.1:${port}/instance_name`)).rejects.toThrow();

    // Convex cloud was never asked for anything.
    expect(world().convex.requests.slice(before)).toEqual([]);

    // Said plainly: no webhook, how users get synced, how to claim.
    expect(run.all).toContain('Running without an account');
    expect(run.all).toContain('WorkOS cannot reach a deployment on this computer');
    expect(run.all).toContain('npm run backfill');
    expect(run.all).toContain('npx create-authkit-convex claim');

    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.options.account).toBe(false);
    expect(JSON.stringify(manifest)).not.toContain(shot.claimToken);

    // No secret in the output or in any child's argv (the claim token and the key included).
    const argv = readFileSync(argvLog, 'utf8');
    for (const secret of [shot.claimToken, shot.env.apiKey, ...world().secrets()]) {
      expect(run.all).not.toContain(secret);
      expect(argv).not.toContain(secret);
    }
  });

  it('a rerun (--add-sso, without --no-account) keeps the same environment and local deployment', async () => {
    const run = await runCli(['--add-sso'], { cwd: app, env: noAccount(), timeoutMs: 8 * 60_000 });
    expect(run.exitCode, run.all).toBe(0);
    expect(world().workos.oneShot.made).toHaveLength(1);
    expect(dotenv.parse(readFileSync(path.join(app, '.env.local'), 'utf8')).CONVEX_DEPLOYMENT).toMatch(/^anonymous:/);
    expect(localBackendState(app)!.env.WORKOS_CLIENT_ID).toBe(world().workos.oneShot.made[0]!.env.clientId);
    expect(run.all).toContain('Running without an account');
  });

  it('doctor reads the local deployment and skips the webhook checks, saying why', async () => {
    const run = await runCli(['doctor'], { cwd: app, env: noAccount() });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toContain('a project without an account: WorkOS cannot reach its local deployment');
    expect(run.all).toMatch(/✓ .*WORKOS_CLIENT_ID/);
  });

  it('claim before the claim is finished in the WorkOS dashboard: exit 2 with the link, nothing changed', async () => {
    const envBefore = readFileSync(path.join(app, '.env.local'), 'utf8');
    const run = await runCli(['claim', '--yes', '--timeout', '1'], { cwd: app, env: noAccount() });
    expect(run.exitCode, run.all).toBe(2);
    const shot = world().workos.oneShot.made[0]!;
    expect(run.all).toContain(`https://dashboard.workos.com/claim?nonce=${shot.nonces[0]}`);
    expect(run.all).toContain('is not claimed yet');
    expect(readFileSync(path.join(app, '.env.local'), 'utf8')).toBe(envBefore);
    expect(run.all).not.toContain(shot.claimToken);
  });

  it('claim: the WorkOS environment is claimed, Convex moves to a cloud dev deployment of the account, the webhook is registered with its secret set', async () => {
    const shot = world().workos.oneShot.made[0]!;
    const seen = shot.nonces.length;
    // The user finishes the claim in the dashboard once a new link is shown.
    const user = setInterval(() => {
      const nonce = shot.nonces[seen];
      if (nonce) world().workos.oneShot.claim(nonce);
    }, 100);
    const loggedIn = { ...world().env(), WORKOS_API_KEY: undefined, WORKOS_CLIENT_ID: undefined };
    const argvLog = path.join(scratch(), 'argv.jsonl');
    const run = await runCli(['claim', '--yes'], { cwd: app, env: { ...loggedIn, CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog }, timeoutMs: 8 * 60_000 }).finally(() => clearInterval(user));
    expect(run.exitCode, run.all).toBe(0);
    expect(shot.claimed).toBe(true);
    expect(run.all).toContain(`The WorkOS environment ${shot.env.clientId} is claimed`);

    const local = dotenv.parse(readFileSync(path.join(app, '.env.local'), 'utf8'));
    expect(local.CONVEX_DEPLOYMENT).toMatch(/^dev:/);
    expect(local.WORKOS_CLIENT_ID).toBe(shot.env.clientId);
    const project = world().convex.state.projects.find((p) => p.name === name)!;
    const d = world().convex.state.deployments.find((x) => x.projectId === project.id)!;
    expect(local.NEXT_PUBLIC_CONVEX_SITE_URL).toBe(d.siteUrl);
    const endpoints = shot.env.state.webhookEndpoints;
    expect(endpoints.map((e) => e.endpoint_url)).toEqual([`${d.siteUrl}/workos/webhook`]);
    expect(d.env.WORKOS_WEBHOOK_SECRET).toBe(endpoints[0]!.secret);
    expect(d.env.WORKOS_CLIENT_ID).toBe(shot.env.clientId);
    expect(d.pushes.length).toBeGreaterThan(0);
    expect((await fs.readJson(path.join(app, 'authkit-convex.json'))).options.account).toBe(true);
    const argv = readFileSync(argvLog, 'utf8');
    for (const secret of [shot.claimToken, ...world().secrets()]) {
      expect(run.all).not.toContain(secret);
      expect(argv).not.toContain(secret);
    }

    // Again: nothing new (one project, one endpoint).
    const again = await runCli(['claim', '--yes'], { cwd: app, env: loggedIn, timeoutMs: 8 * 60_000 });
    expect(again.exitCode, again.all).toBe(0);
    expect(world().convex.state.projects.filter((p) => p.name === name)).toHaveLength(1);
    expect(shot.env.state.webhookEndpoints).toHaveLength(1);
  });
});
