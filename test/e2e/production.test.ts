/**
 * `--add-production` in a project the CLI made, against the offline world: one production Convex
 * deployment, its variables set in one call before the deploy, one webhook endpoint in the production
 * WorkOS environment, redirect URIs/CORS/homepage there only, `.env.production.local` (0600, ignored)
 * and the build script; its rerun creates and changes nothing; dev stays as it was; bad input exits 2;
 * the Vercel offer (the real vercel CLI against the Vercel stand-in); --workos-auth-domain on
 * production; each outside production step under faults (a dropped connection on a WorkOS and a Convex
 * call, Ctrl-C during a WorkOS call and a convex CLI call), then the same command completes.
 */
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { steps } from '../../src/steps/index.js';
import { WEBHOOK_EVENTS } from '../../src/systems/workos.js';
import { cliPath, runCli, type CliRun } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { useWorld } from '../helpers/use-world.js';
import { installVercelCli } from '../helpers/vercel-cli.js';
import type { Fault, FaultMatch } from '../world/faults.js';
import { startVercelStandIn, type VercelStandIn } from '../world/vercel/index.js';

vi.setConfig({ testTimeout: 5 * 60_000 });

const world = useWorld();
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]/g;
const forever = 1000;
/** The finished project every case copies. */
let finished: string;

beforeAll(async () => {
  const app = await preparedApp(world(), 'prod-app');
  const created = await runCli(['prod-app', '--yes'], { cwd: path.dirname(app), env: world().env(), timeoutMs: 8 * 60_000 });
  expect(created.exitCode, created.all).toBe(0);
  finished = app;
}, 15 * 60_000);

/** The production keys of the world's WorkOS, as flags. */
const prodFlags = (domain: string) => [
  '--add-production',
  '--domain',
  domain,
  '--workos-api-key',
  world().workos.production.apiKey,
  '--workos-client-id',
  world().workos.production.clientId,
  '--yes',
];

/**
 * A copy of the finished project with a Convex project of its own (so that it starts without a
 * production deployment): node_modules hard-linked, the rest copied, .env.local and the manifest pointed
 * at a new project the stand-in made with its dev deployment.
 */
async function copyProject(name: string): Promise<string> {
  const dest = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-prod-')), name);
  await fs.copy(finished, dest, { filter: (src) => !src.startsWith(path.join(finished, 'node_modules')) });
  await execa('cp', ['-al', path.join(finished, 'node_modules'), path.join(dest, 'node_modules')]);
  world().trackApp(dest);
  const res = await fetch(`${world().convex.provisionHost}/v1/teams/acme/create_project`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${world().convex.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ projectName: name, deploymentType: 'dev' }),
  });
  const project = (await res.json()) as { slug: string; deploymentName: string };
  const dev = world().convex.state.deployments.find((d) => d.name === project.deploymentName)!;
  const envFile = path.join(dest, '.env.local');
  const text = (await fs.readFile(envFile, 'utf8'))
    .replace(/^CONVEX_DEPLOYMENT=.*$/m, `CONVEX_DEPLOYMENT=dev:${dev.name} # team: acme, project: ${project.slug}`)
    .replace(/^NEXT_PUBLIC_CONVEX_URL=.*$/m, `NEXT_PUBLIC_CONVEX_URL=${dev.url}`)
    .replace(/^NEXT_PUBLIC_CONVEX_SITE_URL=.*$/m, `NEXT_PUBLIC_CONVEX_SITE_URL=${dev.siteUrl}`);
  await fs.writeFile(envFile, text, { mode: 0o600 });
  const manifestFile = path.join(dest, 'authkit-convex.json');
  await fs.writeJson(manifestFile, { ...(await fs.readJson(manifestFile)), convexProject: { team: 'acme', slug: project.slug } }, { spaces: 2 });
  return dest;
}

/** What the stand-ins hold for a project copy's production. */
function prodOf(app: string) {
  const slug = fs.readJsonSync(path.join(app, 'authkit-convex.json')).convexProject.slug as string;
  const project = world().convex.state.projects.find((p) => p.slug === slug)!;
  const deployments = world().convex.state.deployments.filter((d) => d.projectId === project.id && d.deploymentType === 'prod');
  const deployment = deployments[0];
  const endpoints = deployment ? world().workos.production.state.webhookEndpoints.filter((e) => e.endpoint_url === `${deployment.siteUrl}/workos/webhook`) : [];
  return { deployments, deployment, endpoints };
}

const run = (app: string, args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: app, env: { ...world().env(), CREATE_AUTHKIT_CONVEX_ARGV_LOG: path.join(path.dirname(app), 'argv.jsonl'), ...env }, timeoutMs: 8 * 60_000 });

async function expectNoSecretShown(app: string, ...runs: CliRun[]) {
  const argv = await fs.readFile(path.join(path.dirname(app), 'argv.jsonl'), 'utf8').catch(() => '');
  for (const secret of world().secrets()) {
    for (const r of runs) expect(r.all).not.toContain(secret);
    expect(argv).not.toContain(secret);
  }
}

/** The whole production chain is there, once. */
async function expectProductionComplete(app: string, domain: string) {
  const { deployments, deployment, endpoints } = prodOf(app);
  expect(deployments).toHaveLength(1);
  expect(endpoints).toHaveLength(1);
  const prod = world().workos.production;
  expect(deployment!.env).toEqual({ WORKOS_CLIENT_ID: prod.clientId, WORKOS_API_KEY: prod.apiKey, WORKOS_WEBHOOK_SECRET: endpoints[0]!.secret });
  expect(deployment!.pushes.length).toBeGreaterThan(0);
  expect(prod.state.redirectUris).toEqual(expect.arrayContaining([`https://${domain}/callback`, `https://${domain}/callback/oauth`]));
  const hosting = dotenv.parse(await fs.readFile(path.join(app, '.env.production.local'), 'utf8'));
  expect(hosting.CONVEX_DEPLOY_KEY).toMatch(new RegExp(`^prod:${deployment!.name}\\|`));
  expect(deployment!.deployKeys!.map((k) => k.key)).toEqual([hosting.CONVEX_DEPLOY_KEY]);
}

describe('production setup (--add-production)', () => {
  let app: string;
  const domain = 'app.example.com';
  let devEnvBefore: string;
  let devDeploymentEnv: Record<string, string>;
  let devWorkos: string;
  let devPushes: number;

  beforeAll(async () => {
    app = await copyProject('ship-app');
    // The copy's own dev deployment holds what a finished project's does (its variables were set by the first run).
    const original = world().convex.state.deployments.find((d) => d.url === dotenv.parse(fs.readFileSync(path.join(finished, '.env.local'), 'utf8')).NEXT_PUBLIC_CONVEX_URL)!;
    const dev = world().convex.state.deployments.find((d) => d.url === dotenv.parse(fs.readFileSync(path.join(app, '.env.local'), 'utf8')).NEXT_PUBLIC_CONVEX_URL)!;
    dev.env = { ...original.env };
    devEnvBefore = await fs.readFile(path.join(app, '.env.local'), 'utf8');
    devDeploymentEnv = { ...dev.env };
    devPushes = dev.pushes.length;
    const w = world().workos.state;
    devWorkos = JSON.stringify([w.redirectUris, w.corsOrigins, w.homepageUrl, w.webhookEndpoints]);
  });
  const devDeployment = () => world().convex.state.deployments.find((d) => d.url === dotenv.parse(devEnvBefore).NEXT_PUBLIC_CONVEX_URL)!;
  const expectDevUntouched = async () => {
    expect(await fs.readFile(path.join(app, '.env.local'), 'utf8')).toBe(devEnvBefore);
    expect(devDeployment().env).toEqual(devDeploymentEnv);
    expect(devDeployment().pushes.length).toBe(devPushes);
    const w = world().workos.state;
    expect(JSON.stringify([w.redirectUris, w.corsOrigins, w.homepageUrl, w.webhookEndpoints])).toBe(devWorkos);
  };

  it('refuses an sk_test_ key without --allow-test-keys (exit 2, nothing made)', async () => {
    const r = await run(app, [...prodFlags(domain).filter((f) => f !== world().workos.production.apiKey && f !== '--workos-api-key'), '--workos-api-key', 'sk_test_stagingKey0123456789']);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr).toMatch(/sk_test_/);
    expect(r.stderr).toMatch(/--allow-test-keys/);
    expect(prodOf(app).deployments).toHaveLength(0);
    expect(await fs.pathExists(path.join(app, '.env.production.local'))).toBe(false);
  });

  it('with --yes and no --domain, exits 2 listing the flag; a bad domain is explained', async () => {
    const flags = prodFlags(domain).filter((f) => f !== '--domain' && f !== domain);
    const missing = await run(app, flags);
    expect(missing.exitCode, missing.all).toBe(2);
    expect(missing.stderr).toMatch(/--domain/);
    const bad = await run(app, [...flags, '--domain', 'https://app.example.com/x']);
    expect(bad.exitCode, bad.all).toBe(2);
    expect(bad.stderr).toMatch(/bare host name/);
    // Without keys (the dev ones in .env.local are never used for production), the flags are listed.
    const noKeys = await run(app, ['--add-production', '--domain', domain, '--yes'], { WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' });
    expect(noKeys.exitCode, noKeys.all).toBe(2);
    expect(noKeys.stderr).toMatch(/--workos-api-key[\s\S]*--workos-client-id/);
    expect(prodOf(app).deployments).toHaveLength(0);
    await expectDevUntouched();
  });

  it('--dry-run prints the production plan and changes nothing', async () => {
    const r = await run(app, [...prodFlags(domain), '--dry-run']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/Find or create the production Convex deployment: reuse/);
    expect(r.stdout).toContain(`redirect URIs https://${domain}/callback`);
    // The dev steps are not part of a production run: not in its plan at all.
    expect(r.stdout).not.toMatch(/^\s*\d+\. Configure WorkOS:/m);
    expect(prodOf(app).deployments).toHaveLength(0);
    expect(await fs.pathExists(path.join(app, '.env.production.local'))).toBe(false);
    await expectDevUntouched();
  });

  it('in a terminal, asks for the production keys (the key hidden) and the domain; a cancel makes nothing', async () => {
    const command = ['stty cols 200 rows 50;', 'exec', JSON.stringify(process.execPath), JSON.stringify(cliPath), '--add-production'].join(' ');
    const child = execa('script', ['-qfec', command, '/dev/null'], {
      cwd: app,
      env: { ...world().env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '', CI: '', TERM: 'xterm-256color' },
      reject: false,
      stdin: 'pipe',
    });
    let raw = '';
    child.stdout!.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    const text = () => raw.replace(ANSI, '');
    const waitFor = (pattern: RegExp) => vi.waitFor(() => expect(text()).toMatch(pattern), { timeout: 60_000, interval: 100 });
    await waitFor(/Production WorkOS API key \(sk_live_/);
    child.stdin!.write(`${world().workos.production.apiKey}\r`);
    await waitFor(/Production WorkOS client ID/);
    child.stdin!.write(`${world().workos.production.clientId}\r`);
    await waitFor(/Production domain of the app/);
    child.stdin!.write('\x03');
    const result = await child;
    expect(result.exitCode, text()).toBe(130);
    expect(text()).not.toContain(world().workos.production.apiKey);
    expect(prodOf(app).deployments).toHaveLength(0);
    await expectDevUntouched();
  });

  it('sets up production once: deployment, WorkOS, webhook, variables before the deploy, deploy key, hosting files', async () => {
    const r = await run(app, prodFlags(domain));
    expect(r.exitCode, r.all).toBe(0);
    await expectProductionComplete(app, domain);
    const { deployment, endpoints } = prodOf(app);
    const prod = world().workos.production;

    // Every variable in ONE call, before anything was pushed there.
    const toProd = world().convex.requests.filter((q) => q.deployment === deployment!.name);
    const sets = toProd.filter((q) => q.path === '/api/update_environment_variables');
    expect(sets).toHaveLength(1);
    const firstPush = toProd.find((q) => q.path.startsWith('/api/deploy2/'));
    expect(firstPush).toBeDefined();
    expect(sets[0]!.at).toBeLessThan(firstPush!.at);

    // The webhook: the production site URL, the dev endpoint's events; WorkOS production only.
    expect(endpoints[0]!.events).toEqual([...WEBHOOK_EVENTS]);
    expect(prod.state.redirectUris).toEqual([`https://${domain}/callback`, `https://${domain}/callback/oauth`]);
    expect(prod.state.corsOrigins).toEqual([`https://${domain}`]);
    expect(prod.state.homepageUrl).toBe(`https://${domain}`);

    // The hosting side: 0600, ignored by git, the production values, the build script.
    const file = path.join(app, '.env.production.local');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const hosting = dotenv.parse(await fs.readFile(file, 'utf8'));
    expect(hosting).toMatchObject({ WORKOS_CLIENT_ID: prod.clientId, WORKOS_API_KEY: prod.apiKey, NEXT_PUBLIC_WORKOS_REDIRECT_URI: `https://${domain}/callback` });
    expect(hosting.WORKOS_COOKIE_PASSWORD!.length).toBeGreaterThanOrEqual(32);
    expect(hosting.WORKOS_COOKIE_PASSWORD).not.toBe(dotenv.parse(devEnvBefore).WORKOS_COOKIE_PASSWORD);
    if (!(await fs.pathExists(path.join(app, '.git')))) await execa('git', ['init', '-q'], { cwd: app });
    expect((await execa('git', ['check-ignore', '.env.production.local'], { cwd: app, reject: false })).exitCode).toBe(0);
    const pkg = await fs.readJson(path.join(app, 'package.json'));
    expect(pkg.scripts['build:production']).toBe("convex deploy --cmd 'npm run build'");
    // The names to copy to the host are printed, the values never.
    for (const name of ['CONVEX_DEPLOY_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_API_KEY', 'WORKOS_COOKIE_PASSWORD', 'NEXT_PUBLIC_WORKOS_REDIRECT_URI']) expect(r.stdout).toContain(name);
    expect(r.stdout).toContain('npm run build:production');
    expect(r.stdout).toMatch(/Logout redirect/);

    // The manifest records the production facts, and no secret.
    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.production).toMatchObject({ domain, clientId: prod.clientId, deployment: { name: deployment!.name, siteUrl: deployment!.siteUrl }, webhookEndpointId: endpoints[0]!.id });
    expect(manifest.options.workosClientId).not.toBe(prod.clientId);
    const manifestText = JSON.stringify(manifest);
    for (const secret of world().secrets()) expect(manifestText).not.toContain(secret);
    await expectNoSecretShown(app, r);
    await expectDevUntouched();
  });

  it('a rerun of the same command creates and changes nothing', async () => {
    const { deployment, endpoints } = prodOf(app);
    const before = {
      env: { ...deployment!.env },
      pushes: deployment!.pushes.length,
      sets: world().convex.requests.filter((q) => q.deployment === deployment!.name && q.path === '/api/update_environment_variables').length,
      hosting: await fs.readFile(path.join(app, '.env.production.local'), 'utf8'),
      pkg: await fs.readFile(path.join(app, 'package.json'), 'utf8'),
      workos: JSON.stringify(world().workos.production.state),
      deployments: world().convex.state.deployments.length,
    };
    const r = await run(app, prodFlags(domain));
    expect(r.exitCode, r.all).toBe(0);
    const after = prodOf(app);
    expect(world().convex.state.deployments.length).toBe(before.deployments);
    expect(after.endpoints.map((e) => e.id)).toEqual(endpoints.map((e) => e.id));
    expect(after.deployment!.env).toEqual(before.env);
    expect(after.deployment!.pushes.length).toBe(before.pushes);
    expect(after.deployment!.deployKeys).toHaveLength(1);
    expect(world().convex.requests.filter((q) => q.deployment === deployment!.name && q.path === '/api/update_environment_variables').length).toBe(before.sets);
    expect(await fs.readFile(path.join(app, '.env.production.local'), 'utf8')).toBe(before.hosting);
    expect(await fs.readFile(path.join(app, 'package.json'), 'utf8')).toBe(before.pkg);
    expect(JSON.stringify(world().workos.production.state)).toBe(before.workos);
    await expectNoSecretShown(app, r);
    await expectDevUntouched();
  });
  describe('the Vercel offer (the real vercel CLI against the Vercel stand-in)', () => {
    let vercel: VercelStandIn;
    let vercelBin: string;
    const HOST_VARS = ['CONVEX_DEPLOY_KEY', 'NEXT_PUBLIC_WORKOS_REDIRECT_URI', 'WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_COOKIE_PASSWORD'];
    beforeAll(async () => {
      [vercel, vercelBin] = await Promise.all([startVercelStandIn(), installVercelCli()]);
      await vercel.configure(world().home);
    }, 10 * 60_000);
    afterAll(() => vercel?.close());
    /** A run whose PATH has the vercel CLI, logged in to the stand-in by VERCEL_TOKEN. */
    const withVercel = () => ({ ...vercel.env(), PATH: `${vercelBin}${path.delimiter}${process.env.PATH}` });
    const adds = () => vercel.requests.filter((q) => q.method === 'POST' && /\/env$/.test(q.path));
    /** The linked project holds exactly one Production variable per name, with the values of .env.production.local. */
    async function expectVercelHoldsHostEnv() {
      const hosting = dotenv.parse(await fs.readFile(path.join(app, '.env.production.local'), 'utf8'));
      const env = vercel.projects[0]!.env;
      expect(env.map((v) => v.key).sort()).toEqual(HOST_VARS);
      for (const v of env) {
        expect(v.target).toEqual(['production']);
        expect(v.value, v.key).toBe(hosting[v.key]);
        expect(v.type, v.key).toEqual(['CONVEX_DEPLOY_KEY', 'WORKOS_API_KEY', 'WORKOS_COOKIE_PASSWORD'].includes(v.key) ? 'sensitive' : expect.any(String));
      }
    }
    /** No value went through argv: the vercel calls name the variable only. */
    async function expectValuesOnStdin() {
      const calls = (await fs.readFile(path.join(path.dirname(app), 'argv.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { command: string; args: string[] });
      const vercelCalls = calls.filter((c) => c.command === 'vercel');
      expect(vercelCalls.length).toBeGreaterThanOrEqual(HOST_VARS.length);
      const hosting = dotenv.parse(await fs.readFile(path.join(app, '.env.production.local'), 'utf8'));
      for (const c of vercelCalls) {
        expect(c.args.slice(0, 2)).toEqual(['env', 'add']);
        for (const value of Object.values(hosting)) expect(c.args).not.toContain(value);
        expect(c.args.join(' ')).not.toContain(vercel.token);
      }
    }

    it('--set-vercel-env needs a linked folder and the CLI (exit 2, nothing run); with --yes alone, Vercel is left alone', async () => {
      const unlinked = await run(app, [...prodFlags(domain), '--set-vercel-env'], withVercel());
      expect(unlinked.exitCode, unlinked.all).toBe(2);
      expect(unlinked.stderr).toMatch(/vercel link/);
      vercel.link(app, 'ship-app');
      const noCli = await run(app, [...prodFlags(domain), '--set-vercel-env'], vercel.env());
      expect(noCli.exitCode, noCli.all).toBe(2);
      expect(noCli.stderr).toMatch(/vercel CLI/);
      expect(vercel.requests).toEqual([]);

      const quiet = await run(app, prodFlags(domain), withVercel());
      expect(quiet.exitCode, quiet.all).toBe(0);
      expect(quiet.stdout).toMatch(/Set the production variables on Vercel.*--set-vercel-env/);
      expect(vercel.requests).toEqual([]);
      expect(vercel.projects[0]!.env).toEqual([]);
    });

    it('in a terminal, offers to set them with the vercel CLI; yes sets each once, its value on stdin', async () => {
      const command = ['stty cols 200 rows 50;', 'exec', JSON.stringify(process.execPath), JSON.stringify(cliPath), ...prodFlags(domain).filter((f) => f !== '--yes')].join(' ');
      const child = execa('script', ['-qfec', command, '/dev/null'], {
        cwd: app,
        env: { ...world().env(), ...withVercel(), CREATE_AUTHKIT_CONVEX_ARGV_LOG: path.join(path.dirname(app), 'argv.jsonl'), CI: '', TERM: 'xterm-256color' },
        reject: false,
        stdin: 'pipe',
      });
      let raw = '';
      child.stdout!.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      const text = () => raw.replace(ANSI, '');
      await vi.waitFor(() => expect(text()).toMatch(/on the Vercel project ship-app \(Production\) with the vercel CLI\?/), { timeout: 4 * 60_000, interval: 200 });
      expect(adds()).toEqual([]);
      child.stdin!.write('\r');
      const result = await child;
      expect(result.exitCode, text()).toBe(0);
      expect(adds()).toHaveLength(HOST_VARS.length);
      await expectVercelHoldsHostEnv();
      await expectValuesOnStdin();
      for (const secret of [...world().secrets(), vercel.token]) expect(text()).not.toContain(secret);
    });

    it('--set-vercel-env with --yes sets them again: still one variable of each name', async () => {
      const before = vercel.projects[0]!.env.map((v) => v.id).sort();
      const r = await run(app, [...prodFlags(domain), '--set-vercel-env'], withVercel());
      expect(r.exitCode, r.all).toBe(0);
      expect(adds()).toHaveLength(2 * HOST_VARS.length);
      await expectVercelHoldsHostEnv();
      expect(vercel.projects[0]!.env.map((v) => v.id).sort()).toEqual(before);
      await expectValuesOnStdin();
      for (const secret of [...world().secrets(), vercel.token]) expect(r.all).not.toContain(secret);
      for (const name of HOST_VARS) expect(r.stdout).toContain(name);
    });
  });
});

describe('doctor --prod', () => {
  it('passes on a production set up by --add-production, and names a production deployment that lost its webhook secret', async () => {
    const app = await copyProject('doctor-app');
    const domain = 'doctor.example.com';
    const setUp = await run(app, prodFlags(domain));
    expect(setUp.exitCode, setUp.all).toBe(0);
    const doctor = () => runCli(['doctor', '--prod', '--json'], { cwd: app, env: { ...world().env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' }, timeoutMs: 3 * 60_000 });
    const good = await doctor();
    const report = JSON.parse(good.stdout.trim().split('\n').at(-1)!) as { ok: boolean; checks: Array<{ id: string; ok: boolean; skipped?: string; detail?: string }> };
    expect(good.exitCode, good.all).toBe(0);
    // No token given; nothing to check for what the project does not use (a custom authentication
    // domain, a Convex-managed WorkOS environment, organizations).
    expect(report.checks.filter((c) => c.skipped).map((c) => c.id)).toEqual([
      'deployment.WORKOS_AUTH_DOMAIN',
      'token',
      'workos.managed-environment',
      'workos.roles',
    ]);
    // It read the production deployment and WorkOS environment, not dev's.
    const { deployment, endpoints } = prodOf(app);
    expect(report.checks.find((c) => c.id === 'workos.webhook')?.detail).toContain(endpoints[0]!.id);
    expect(report.checks.find((c) => c.id === 'deployment.WORKOS_CLIENT_ID')?.detail).toBe(world().workos.production.clientId);

    const secret = deployment!.env.WORKOS_WEBHOOK_SECRET!;
    delete deployment!.env.WORKOS_WEBHOOK_SECRET;
    try {
      const broken = await doctor();
      expect(broken.exitCode, broken.all).toBe(1);
      const failedChecks = (JSON.parse(broken.stdout.trim().split('\n').at(-1)!) as { checks: Array<{ id: string; ok: boolean; fix?: string }> }).checks.filter((c) => !c.ok);
      expect(failedChecks.map((c) => c.id)).toEqual(['deployment.WORKOS_WEBHOOK_SECRET']);
      // The repair is production's own command, not the dev one.
      expect(failedChecks[0]!.fix).toContain(`--add-production --domain ${domain}`);
    } finally {
      deployment!.env.WORKOS_WEBHOOK_SECRET = secret;
    }
    // --token with production tokens: one the production environment mints passes; a dev one is named.
    const prodToken = await world().workos.signAccessToken({ sub: 'user_01PRODTOKEN', issuer: `https://api.workos.com/user_management/${world().workos.production.clientId}` });
    const tokenCheck = async (jwt: string) => {
      const r = await runCli(['doctor', '--prod', '--json', '--token', jwt], { cwd: app, env: { ...world().env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' }, timeoutMs: 3 * 60_000 });
      expect(r.all).not.toContain(jwt);
      return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { checks: Array<{ id: string; ok: boolean; code?: string; cause?: string }> }).checks.find((c) => c.id === 'token')!;
    };
    expect(await tokenCheck(prodToken)).toMatchObject({ ok: true });
    const devToken = await world().workos.signAccessToken({ sub: 'user_01DEVTOKEN', issuer: `https://api.workos.com/user_management/${world().workos.clientId}` });
    const refused = await tokenCheck(devToken);
    expect(refused).toMatchObject({ ok: false, code: 'issuer' });
    expect(refused.cause).toContain(world().workos.production.clientId);

    // A project without production: exit 2, with the command that sets it up.
    const none = await runCli(['doctor', '--prod'], { cwd: finished, env: world().env() });
    expect(none.exitCode, none.all).toBe(2);
    expect(none.all).toContain('--add-production');
  });
});

describe('--workos-auth-domain with --add-production', () => {
  it("reuses a production deployment made beforehand, sets the production environment's custom domain in the one env call, and doctor --prod checks it", async () => {
    const app = await copyProject('auth-domain-app');
    const domain = 'auth-domain-app.example.com';
    const authDomain = 'auth.example.com';
    const prod = world().workos.production;
    // A production deployment made beforehand (e.g. in the Convex dashboard): reused, never a second one.
    const slug = (await fs.readJson(path.join(app, 'authkit-convex.json'))).convexProject.slug as string;
    const project = world().convex.state.projects.find((p) => p.slug === slug)!;
    const made = await fetch(`${world().convex.provisionHost}/v1/projects/${project.id}/create_deployment`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${world().convex.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'prod', isDefault: true }),
    });
    expect(made.status).toBe(200);
    const existing = (await made.json()) as { name: string };
    prod.setAuthDomain(authDomain);
    try {
      const r = await run(app, [...prodFlags(domain), '--workos-auth-domain', authDomain]);
      expect(r.exitCode, r.all).toBe(0);
      expect(prodOf(app).deployments.map((d) => d.name)).toEqual([existing.name]);
      expect(r.stdout).toContain(`reusing ${existing.name}`);
      const { deployment, endpoints } = prodOf(app);
      expect(deployment!.env).toEqual({ WORKOS_CLIENT_ID: prod.clientId, WORKOS_API_KEY: prod.apiKey, WORKOS_WEBHOOK_SECRET: endpoints[0]!.secret, WORKOS_AUTH_DOMAIN: authDomain });
      const sets = () => world().convex.requests.filter((q) => q.deployment === deployment!.name && q.path === '/api/update_environment_variables');
      expect(sets()).toHaveLength(1);
      // Production's, recorded for production only: dev's options and deployment know nothing of it.
      const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
      expect(manifest.production.authDomain).toBe(authDomain);
      expect(manifest.options.workosAuthDomain).toBeUndefined();
      const dev = world().convex.state.deployments.find((d) => d.url === dotenv.parse(fs.readFileSync(path.join(app, '.env.local'), 'utf8')).NEXT_PUBLIC_CONVEX_URL)!;
      expect(dev.env.WORKOS_AUTH_DOMAIN).toBeUndefined();

      // A rerun without the flag keeps production's domain and sets nothing.
      const again = await run(app, prodFlags(domain));
      expect(again.exitCode, again.all).toBe(0);
      expect(deployment!.env.WORKOS_AUTH_DOMAIN).toBe(authDomain);
      expect(sets()).toHaveLength(1);

      const doctor = async () => {
        const d = await runCli(['doctor', '--prod', '--json'], { cwd: app, env: { ...world().env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' }, timeoutMs: 3 * 60_000 });
        return { run: d, report: JSON.parse(d.stdout.trim().split('\n').at(-1)!) as { checks: Array<{ id: string; ok: boolean; skipped?: string; detail?: string; fix?: string }> } };
      };
      const good = await doctor();
      expect(good.run.exitCode, good.run.all).toBe(0);
      const check = good.report.checks.find((c) => c.id === 'deployment.WORKOS_AUTH_DOMAIN')!;
      expect(check).toMatchObject({ ok: true });
      expect(check.skipped).toBeUndefined();
      expect(check.detail).toContain(`https://${authDomain}/sso/jwks/${prod.clientId}`);

      // The production deployment loses it: doctor --prod names it, with production's own repair.
      delete deployment!.env.WORKOS_AUTH_DOMAIN;
      try {
        const bad = await doctor();
        expect(bad.run.exitCode, bad.run.all).toBe(1);
        const failed = bad.report.checks.filter((c) => !c.ok);
        expect(failed.map((c) => c.id)).toContain('deployment.WORKOS_AUTH_DOMAIN');
        expect(failed.find((c) => c.id === 'deployment.WORKOS_AUTH_DOMAIN')!.fix).toContain(`--add-production --domain ${domain} --workos-auth-domain ${authDomain}`);
      } finally {
        deployment!.env.WORKOS_AUTH_DOMAIN = authDomain;
      }
      await expectNoSecretShown(app, r, again, good.run);
    } finally {
      prod.setAuthDomain(undefined);
    }
  });
});

interface Row {
  title: string;
  service: 'convex' | 'workos';
  match: FaultMatch;
  error: Fault;
  /** `--timeout` for the run whose service never answers (long enough for the step's own work). */
  timeoutSeconds?: number;
  /**
   * Where this step's timeout is proven by other cases, and how: the same timeout path run by an
   * earlier step, and this step's own failure and resume by its error status case.
   */
  timeoutProvenBy?: string;
  /** A run with credentials the service refuses (and what the rerun then needs), where it applies. */
  badCredentials?: { env?: Record<string, string>; flags?: (domain: string) => string[]; exitCode: number };
  /** The further faults this step is run under (a WorkOS and a Convex call each, to keep the file fast). */
  also?: Array<'dropped connection' | 'SIGINT'>;
  /** The request a dropped connection cuts, where it is not `match`. */
  dropMatch?: FaultMatch;
}

const convexDown: Fault = { status: 500, body: { code: 'InternalServerError', message: 'down' }, times: forever };
const workosDown: Fault = { status: 500, body: { message: 'down' }, times: forever };
const badKey = (domain: string) => [...prodFlags(domain).slice(0, 3), '--workos-api-key', 'sk_live_revoked_key_0123456789', '--workos-client-id', world().workos.production.clientId, '--yes'];

const table: Row[] = [
  {
    title: 'Verify the production WorkOS keys',
    service: 'workos',
    match: { method: 'GET', path: '/webhook_endpoints' },
    error: workosDown,
    badCredentials: { flags: badKey, exitCode: 2 },
    // The first step of a production run (nothing before it needs longer): the SDK's own retries multiply it.
    timeoutSeconds: 2,
  },
  {
    title: 'Find or create the production Convex deployment',
    service: 'convex',
    match: { path: /\/create_deployment$/ },
    error: convexDown,
    badCredentials: { env: { CONVEX_OVERRIDE_ACCESS_TOKEN: 'standin_revoked' }, exitCode: 2 },
    also: ['dropped connection'],
    // The account API's lookup of the default prod deployment: fast. (Cut under `convex deployment
    // create`, the CLI retries before it gives up, which cost over a minute here; the dev fault matrix
    // covers the convex CLI under a dropped connection.)
    dropMatch: { method: 'GET', path: /\/deployment$/ },
  },
  {
    title: 'Configure the production WorkOS environment',
    service: 'workos',
    match: { method: 'POST', path: '/user_management/redirect_uris' },
    error: workosDown,
    // A timeout here cost 37 s (the SDK retries each request three times).
    timeoutProvenBy: 'Verify the production WorkOS keys: timeout (the same WorkOS client and request timeout)',
  },
  {
    title: 'Register the production webhook endpoint',
    service: 'workos',
    match: { method: 'POST', path: '/webhook_endpoints' },
    error: workosDown,
    also: ['dropped connection', 'SIGINT'],
    timeoutProvenBy: 'Verify the production WorkOS keys: timeout (the same WorkOS client and request timeout)',
  },
  {
    title: 'Set the production deployment environment',
    service: 'convex',
    match: { path: /update_environment_variables$/ },
    error: convexDown,
    // Ctrl-C while the convex CLI's call hangs (its dropped connection is the fault matrix's, for dev).
    also: ['SIGINT'],
  },
  {
    title: 'Deploy the functions to production',
    service: 'convex',
    match: { path: /\/api\/deploy2\/start_push$/ },
    error: { ...convexDown, status: 400, body: { code: 'BadPush', message: 'refused' } },
    // The deploy type-checks and bundles before it reaches the deployment (about 4 s in CI; the case
    // checks that the hung request was reached, so a --timeout too short for that fails it).
    timeoutSeconds: 25,
  },
  {
    title: 'Create a deploy key for the hosting provider',
    service: 'convex',
    match: { path: /\/create_deploy_key$/ },
    error: convexDown,
    // A timeout here cost 50 s: the run deploys first, under the same --timeout.
    timeoutProvenBy: 'Set the production deployment environment: timeout and Deploy the functions to production: timeout (a convex CLI call stopped by --timeout)',
  },
];

type Kind = 'error status' | 'timeout' | 'bad credentials' | 'dropped connection' | 'SIGINT';
const cases = table.flatMap((row) =>
  (['error status', 'timeout', 'bad credentials', ...(row.also ?? [])] as Kind[])
    .filter((k) => (k !== 'bad credentials' || row.badCredentials) && (k !== 'timeout' || !row.timeoutProvenBy))
    .map((kind) => ({ ...row, kind })),
);

/** A failing run; with Ctrl-C, SIGINT once the hung request has reached the service. */
async function failingRun(app: string, args: string[], kind: Kind, fault: Fault): Promise<CliRun> {
  const child = execa(process.execPath, [cliPath, ...args], {
    cwd: app,
    env: { CI: 'true', npm_config_prefer_offline: 'true', ...world().env(), CREATE_AUTHKIT_CONVEX_ARGV_LOG: path.join(path.dirname(app), 'argv.jsonl') },
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: 5 * 60_000,
  });
  if (kind === 'SIGINT') {
    await vi.waitFor(() => expect(fault.taken ?? 0).toBeGreaterThan(0), { timeout: 3 * 60_000, interval: 100 });
    child.kill('SIGINT');
  }
  const result = await child;
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), all: String(result.all) };
}

describe('production faults: each outside step fails, then the same command completes', () => {
  it.each(cases)('$title: $kind', async (c) => {
    const slug = `${c.kind}-${c.title}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/-$/, '');
    const app = await copyProject(slug);
    const domain = `${slug}.example.com`;
    const standIn = c.service === 'convex' ? world().convex : world().workos;
    let failed: CliRun;
    if (c.kind === 'bad credentials') {
      failed = await run(app, c.badCredentials!.flags?.(domain) ?? prodFlags(domain), c.badCredentials!.env);
      expect(failed.exitCode, failed.all).toBe(c.badCredentials!.exitCode);
    } else {
      const fault: Fault =
        c.kind === 'timeout' || c.kind === 'SIGINT' ? { hang: true, times: forever } : c.kind === 'dropped connection' ? { drop: true, times: forever } : c.error;
      standIn.fail((c.kind === 'dropped connection' && c.dropMatch) || c.match, fault);
      failed = await failingRun(app, [...prodFlags(domain), '--timeout', c.kind === 'timeout' ? String(c.timeoutSeconds ?? 6) : '60'], c.kind, fault);
      standIn.clearFaults();
      expect(failed.exitCode, failed.all).toBe(c.kind === 'SIGINT' ? 130 : 1);
      expect(fault.taken ?? 0).toBeGreaterThan(0);
      if (c.kind === 'timeout') expect(failed.all).toMatch(/timed out|did not answer|timeout/i);
      if (c.kind === 'SIGINT') expect(failed.stderr).toMatch(new RegExp(`Cancelled during (".+" and )?"${c.title}"[\\s\\S]*Run the same command again: it resumes`));
      // The failed step is not recorded as done by this run.
      const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
      expect(manifest.completedSteps[steps.find((step) => step.title === c.title)!.id]).toBeUndefined();
    }
    expect(failed.all).toContain(c.title);
    const done = await run(app, prodFlags(domain));
    expect(done.exitCode, done.all).toBe(0);
    await expectProductionComplete(app, domain);
    await expectNoSecretShown(app, failed, done);
  });
});
