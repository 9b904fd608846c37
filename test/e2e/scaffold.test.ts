/**
 * The real thing, end to end: the CLI runs the real create-next-app, npm, shadcn and convex CLI and the
 * real WorkOS SDK against the offline world; then the generated app must type-check and build offline.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedLockfilePath } from '../../src/systems/lockfile.js';
import { WEBHOOK_EVENTS } from '../../src/systems/workos.js';
import { appDependencies, appDevDependencies } from '../../src/versions.js';
import { itPassesAppChecks } from '../helpers/app-checks.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { startWorld, type World } from '../helpers/world.js';

let world: World;
let cwd: string;
let app: string;
let argvLog: string;
let result: CliRun;


beforeAll(async () => {
  world = await startWorld();
  cwd = mkdtempSync(path.join(os.tmpdir(), 'cak-e2e-'));
  app = path.join(cwd, 'my-app');
  world.trackApp(app);
  argvLog = path.join(cwd, 'argv.log');
  result = await runCli(['my-app', '--yes'], {
    cwd,
    env: { ...world.env(), CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog },
    timeoutMs: 10 * 60_000,
  });
}, 12 * 60_000);

afterAll(async () => {
  await world?.close();
});

const spawned = (): Array<{ command: string; args: string[] }> =>
  readFileSync(argvLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const deployment = () => world.convex.state.deployments[0]!;

describe('scaffold a new app', () => {
  it('succeeds without printing or passing a secret', () => {
    expect(result.exitCode, result.all).toBe(0);
    const argv = readFileSync(argvLog, 'utf8');
    for (const secret of world.secrets()) {
      expect(result.all).not.toContain(secret);
      expect(argv).not.toContain(secret);
    }
  });

  it('pins every dependency of the finished project, with one full install', async () => {
    const pkg = await fs.readJson(path.join(app, 'package.json'));
    for (const [name, version] of Object.entries(appDependencies)) expect(pkg.dependencies[name], name).toBe(version);
    for (const [name, version] of Object.entries(appDevDependencies)) expect(pkg.devDependencies[name], name).toBe(version);
    expect(pkg.name).toBe('my-app');
    const installs = spawned().filter((c) => c.command === 'npm' && ['install', 'ci'].includes(c.args[0]!));
    expect(installs).toHaveLength(1);
    // From the shipped lockfile (package.json is exactly its set): no resolution, the tree the tests ran.
    expect(installs[0]!.args).toEqual(['ci', '--no-audit', '--no-fund']);
    const shipped = await fs.readJson(shippedLockfilePath('npm')!);
    const lock = await fs.readJson(path.join(app, 'package-lock.json'));
    expect(lock.packages).toEqual({ ...shipped.packages, '': { ...shipped.packages[''], name: 'my-app' } });
  });

  it('provisions Convex, configures WorkOS, adds shadcn/ui and writes the templates while the install runs', () => {
    const lines = result.stdout.split('\n');
    const installEnds = lines.findIndex((l) => l.startsWith('✔ Install dependencies'));
    expect(installEnds, result.stdout).toBeGreaterThan(-1);
    // Each started while the install was still running (each line is printed as its step starts); the
    // templates wait for shadcn, so shadcn had finished too.
    for (const title of ['Provision a Convex deployment', 'Configure WorkOS', 'Add shadcn/ui', 'Write the auth, webhook and form files']) {
      const starts = lines.indexOf(`… ${title}`);
      expect(starts, `${title}\n${result.stdout}`).toBeGreaterThan(-1);
      expect(starts, `${title} started after the install\n${result.stdout}`).toBeLessThan(installEnds);
    }
  });

  it('adds shadcn/ui from the registry it was pointed at', async () => {
    expect(await fs.pathExists(path.join(app, 'components.json'))).toBe(true);
    for (const c of ['button', 'input', 'label', 'card', 'separator'])
      expect(await fs.pathExists(path.join(app, `src/components/ui/${c}.tsx`)), c).toBe(true);
    expect(await fs.readFile(path.join(app, 'src/lib/utils.ts'), 'utf8')).toMatch(/export function cn/);
    expect(world.registry.requests.length).toBeGreaterThan(0);
  });

  it('leaves no Google font import anywhere', async () => {
    const { stdout } = await execa('grep', ['-rl', 'next/font/google', 'src'], { cwd: app, reject: false });
    expect(stdout).toBe('');
  });

  it('provisions without pushing, sets every variable in one update, and only then pushes', () => {
    const reqs = world.convex.requests;
    const provision = reqs.findIndex((r) => r.path.includes('provision_and_authorize'));
    const updates = reqs.filter((r) => r.path.endsWith('/update_environment_variables'));
    const firstUpdate = reqs.findIndex((r) => r.path.endsWith('/update_environment_variables'));
    const firstPush = reqs.findIndex((r) => r.path.includes('/deploy2/') || r.path.includes('push'));
    expect(provision).toBeGreaterThanOrEqual(0);
    expect(updates).toHaveLength(1);
    const names = (updates[0]!.body as { changes: Array<{ name: string }> }).changes.map((c) => c.name).sort();
    expect(names).toEqual(['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_WEBHOOK_SECRET']);
    expect(firstUpdate).toBeGreaterThan(provision);
    expect(firstPush).toBeGreaterThan(firstUpdate);
    expect(world.convex.state.projects).toHaveLength(1);
    const modules = deployment().pushes.at(-1)!.modules.map((m) => m.path);
    for (const name of ['auth.config', 'http', 'schema']) expect(modules.some((m) => m.startsWith(name)), name).toBe(true);
  });

  it('pushes our own convex/ without the CLI\'s type check, because this test type-checks it as that check would', async () => {
    // The provisioning `dev --once --configure … --skip-push` pushes nothing.
    const pushes = spawned().filter((c) => c.args.slice(1, 3).join(' ') === 'dev --once' && !c.args.includes('--skip-push'));
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.args.join(' ')).toContain('--typecheck disable');
    // What `convex dev --typecheck enable` runs: tsc over convex/ with its own tsconfig.
    const tsc = await execa(path.join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'convex'], { cwd: app, reject: false, all: true });
    expect(tsc.exitCode, tsc.all).toBe(0);
  }, 2 * 60_000);

  it('registers one webhook endpoint at the site URL and stores its secret on the deployment', () => {
    const endpoints = world.workos.state.webhookEndpoints;
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]!.endpoint_url).toBe(`${deployment().siteUrl}/workos/webhook`);
    expect([...endpoints[0]!.events].sort()).toEqual([...WEBHOOK_EVENTS].sort());
    expect(deployment().env.WORKOS_WEBHOOK_SECRET).toBe(endpoints[0]!.secret);
    expect(deployment().env.WORKOS_CLIENT_ID).toBe(world.workos.clientId);
    expect(deployment().env.WORKOS_API_KEY).toBe(world.workos.apiKey);
  });

  it('configures the redirect URI, CORS origin and homepage', () => {
    expect(world.workos.state.redirectUris).toContain('http://localhost:3000/callback');
    expect(world.workos.state.redirectUris).toContain('http://localhost:3000/callback/oauth');
    expect(world.workos.state.corsOrigins).toContain('http://localhost:3000');
    expect(world.workos.state.homepageUrl).toBe('http://localhost:3000');
  });

  it('writes .env.local with the deployment and WorkOS values, 0600 and git-ignored', async () => {
    const file = path.join(app, '.env.local');
    const env = dotenv.parse(await fs.readFile(file, 'utf8'));
    expect(env.NEXT_PUBLIC_CONVEX_URL).toBe(deployment().url);
    expect(env.NEXT_PUBLIC_CONVEX_SITE_URL).toBe(deployment().siteUrl);
    expect(env.CONVEX_DEPLOYMENT).toContain(deployment().name);
    expect(env.WORKOS_CLIENT_ID).toBe(world.workos.clientId);
    expect(env.WORKOS_API_KEY).toBe(world.workos.apiKey);
    expect(env.WORKOS_COOKIE_PASSWORD!.length).toBeGreaterThanOrEqual(32);
    expect(env.NEXT_PUBLIC_WORKOS_REDIRECT_URI).toBe('http://localhost:3000/callback');
    expect(env.WORKOS_WEBHOOK_SECRET).toBeUndefined();
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const ignored = await execa('git', ['check-ignore', '.env.local'], { cwd: app, reject: false });
    expect(ignored.exitCode).toBe(0);
  });

  it('records the run in the manifest (no secrets) and commits the project once', async () => {
    const text = await fs.readFile(path.join(app, 'authkit-convex.json'), 'utf8');
    for (const secret of world.secrets()) expect(text).not.toContain(secret);
    const manifest = JSON.parse(text);
    for (const id of ['create-app', 'install', 'shadcn', 'provision-convex', 'deployment-env', 'templates', 'push-convex', 'git'])
      expect(manifest.completedSteps[id], id).toBeTruthy();
    expect(manifest.features).toEqual(['base', 'webhooks']);
    const log = await execa('git', ['log', '--oneline'], { cwd: app });
    expect(log.stdout.trim().split('\n')).toHaveLength(1);
    // The commit holds the final manifest: nothing is left to commit.
    expect((await execa('git', ['status', '--porcelain'], { cwd: app })).stdout).toBe('');
  });

  itPassesAppChecks(() => app);
});
