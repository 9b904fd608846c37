/**
 * What goes wrong outside, and what the user sees: each failure exits non-zero with a message naming
 * the step and the fix, writes nothing half-done, and the same command run again completes, with
 * exactly one Convex project and one webhook endpoint. Runs resume from a prepared project (see
 * helpers/prepared-app.ts) so that only the Convex and WorkOS steps are paid for each case.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { describe, expect, it, vi } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { startWorld, type World } from '../helpers/world.js';
import { useWorld, useWorldPool } from '../helpers/use-world.js';

// Each case runs the CLI two or three times through the Convex and WorkOS steps (and may first wait
// for a free world).
vi.setConfig({ testTimeout: 8 * 60_000 });

/**
 * The cases that fail an outside step run three at a time, each in a world of its own (its faults
 * answer only its runs); `world()` is the world of the case that calls it.
 */
const shared = useWorld();
const withWorld = useWorldPool(3);
const own = new AsyncLocalStorage<World>();
const world = () => own.getStore() ?? shared();
const inOwnWorld = (fn: () => Promise<void>) => withWorld((w) => own.run(w, fn));

const emptyDir = () => mkdtempSync(path.join(os.tmpdir(), 'cak-fail-'));

/** Run the CLI on a project directory (resuming it), from its parent. */
async function runOn(app: string, env: Record<string, string> = {}, args: string[] = []): Promise<CliRun> {
  return runCli([path.basename(app), '--yes', ...args], { cwd: path.dirname(app), env: { ...world().env(), ...env }, timeoutMs: 8 * 60_000 });
}

function expectNoSecrets(run: CliRun) {
  for (const secret of world().secrets()) expect(run.all).not.toContain(secret);
}

function deploymentOf(projectName: string) {
  const project = world().convex.state.projects.find((p) => p.name === projectName)!;
  return world().convex.state.deployments.find((d) => d.projectId === project.id)!;
}

/** The world holds exactly one project, one endpoint, and the deployment knows the endpoint's secret. */
function expectOneOfEach(projectName: string) {
  const projects = world().convex.state.projects.filter((p) => p.name === projectName);
  expect(projects).toHaveLength(1);
  const deployment = world().convex.state.deployments.find((d) => d.projectId === projects[0]!.id)!;
  const endpoints = world().workos.state.webhookEndpoints.filter((e) => e.endpoint_url === `${deployment.siteUrl}/workos/webhook`);
  expect(endpoints).toHaveLength(1);
  expect(deployment.env.WORKOS_WEBHOOK_SECRET).toBe(endpoints[0]!.secret);
  return deployment;
}

describe('bad input stops before anything is created', () => {
  it('a wrong WorkOS API key: exit 2, nothing on disk or in either service', async () => {
    const cwd = emptyDir();
    const before = { projects: world().convex.state.projects.length, endpoints: world().workos.state.webhookEndpoints.length };
    const run = await runCli(['my-app', '--yes'], { cwd, env: { ...world().env(), WORKOS_API_KEY: 'sk_test_notTheRightKey000000' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/WorkOS rejected the API key/);
    expect(run.stderr).toContain('--workos-api-key');
    expect(readdirSync(cwd)).toEqual([]);
    expect(world().convex.state.projects.length).toBe(before.projects);
    expect(world().workos.state.webhookEndpoints.length).toBe(before.endpoints);
  });

  it('an unknown WorkOS client ID: exit 2, nothing created', async () => {
    const cwd = emptyDir();
    const run = await runCli(['my-app', '--yes'], { cwd, env: { ...world().env(), WORKOS_CLIENT_ID: 'client_01UNKNOWNCLIENT' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/client ID client_01UNKNOWNCLIENT/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('not logged in to Convex: exit 2 with the login command, nothing created', async () => {
    const cwd = emptyDir();
    const run = await runCli(['my-app', '--yes'], { cwd, env: { ...world().env(), CONVEX_OVERRIDE_ACCESS_TOKEN: '' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/not logged in to Convex/);
    expect(run.stderr).toMatch(/convex@[\d.]+ login/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an expired Convex login (saved by convex login, refused by Convex): exit 2 with the login command, nothing created, the token not printed', async () => {
    const cwd = emptyDir();
    // The login `npx convex login` saved in ~/.convex/config.json, which Convex no longer accepts.
    const home = mkdtempSync(path.join(os.tmpdir(), 'cak-home-expired-'));
    const expired = 'standin_expiredLoginToken0123456789';
    await fs.outputJson(path.join(home, '.convex', 'config.json'), { accessToken: expired });
    const before = world().convex.requests.length;
    const run = await runCli(['my-app', '--yes'], { cwd, env: { ...world().env(), HOME: home, CONVEX_OVERRIDE_ACCESS_TOKEN: '' } });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.stderr).toMatch(/Convex did not accept your saved login \(it may have expired\)/);
    expect(run.stderr).toMatch(/convex@[\d.]+ login/);
    // The saved token was the one sent (and refused), and it is never shown.
    expect(world().convex.requests.slice(before).some((r) => r.path === '/api/teams')).toBe(true);
    expect(run.all).not.toContain(expired);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('several Convex teams and no --convex-team: exit 2 listing them', async () => {
    const teamsWorld = await startWorld({ teams: [{ slug: 'acme', name: 'Acme' }, { slug: 'globex', name: 'Globex' }] });
    try {
      const cwd = emptyDir();
      const run = await runCli(['my-app', '--yes'], { cwd, env: teamsWorld.env() });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/several Convex teams/);
      expect(run.stderr).toContain('acme');
      expect(run.stderr).toContain('globex');
      expect(run.stderr).toContain('--convex-team');
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      await teamsWorld.close();
    }
  });
});

describe.concurrent('an outside step fails, and the same command completes it', () => {
  it('Convex provisioning answers 500', () => inOwnWorld(async () => {
    const app = await preparedApp(world(), 'prov-500');
    world().convex.fail({ path: '/api/deployment/provision_and_authorize' }, { status: 500, body: { code: 'InternalServerError', message: 'boom' }, times: 1000 });
    const failed = await runOn(app);
    world().convex.clearFaults();
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/Provision a Convex deployment failed/);
    expect(failed.stderr).toMatch(/run the same command again/i);
    expect(world().convex.state.projects.filter((p) => p.name === 'prov-500').length).toBeLessThanOrEqual(1);
    const done = await runOn(app);
    expect(done.exitCode, done.all).toBe(0);
    expectOneOfEach('prov-500');
    expectNoSecrets(failed);
    expectNoSecrets(done);
    // A rerun of the finished project reuses everything: still one project, one endpoint.
    const again = await runOn(app);
    expect(again.exitCode, again.all).toBe(0);
    expectOneOfEach('prov-500');
  }));

  it('the environment update fails: the webhook secret is recovered on the rerun', () => inOwnWorld(async () => {
    const app = await preparedApp(world(), 'env-fail');
    world().convex.fail({ path: /update_environment_variables$/ }, { status: 500, body: { code: 'InternalServerError', message: 'env boom' }, times: 1000 });
    const failed = await runOn(app);
    world().convex.clearFaults();
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/Set the deployment environment failed/);
    // Nothing was pushed to a deployment without its variables.
    expect(deploymentOf('env-fail').pushes).toHaveLength(0);
    const done = await runOn(app);
    expect(done.exitCode, done.all).toBe(0);
    expectOneOfEach('env-fail');
  }));

  it('the push is rejected for a variable the deployment lacks: the message names it, and a rerun completes', () => inOwnWorld(async () => {
    const app = await preparedApp(world(), 'push-env');
    // The user makes auth.config read a variable nobody has set yet; templates are written before the push.
    // A 400 (as for a bad schema): `convex dev --once` keeps retrying a 5xx push, so that would only time out.
    world().convex.fail({ path: /\/deploy2\/start_push$/ }, { status: 400, body: { code: 'SchemaValidationError', message: 'push refused by the test world' }, times: 1000 });
    const first = await runOn(app);
    world().convex.clearFaults();
    expect(first.exitCode).toBe(1);
    expect(first.stderr).toMatch(/Push to Convex failed/);
    const authConfig = path.join(app, 'convex/auth.config.ts');
    await fs.writeFile(authConfig, (await fs.readFile(authConfig, 'utf8')).replace('process.env.WORKOS_CLIENT_ID', '(process.env.EXTRA_ISSUER_SUFFIX, process.env.WORKOS_CLIENT_ID)'));
    const rejected = await runOn(app);
    expect(rejected.exitCode).toBe(1);
    expect(rejected.stderr).toMatch(/Push to Convex failed/);
    expect(rejected.stderr).toContain('EXTRA_ISSUER_SUFFIX');
    expect(rejected.stderr).toMatch(/npx convex env set EXTRA_ISSUER_SUFFIX/);
    deploymentOf('push-env').env.EXTRA_ISSUER_SUFFIX = 'x';
    const done = await runOn(app);
    expect(done.exitCode, done.all).toBe(0);
    expectOneOfEach('push-env');
  }));

  it('WorkOS answers 429 once when creating the webhook: the SDK backs off and the run completes', () => inOwnWorld(async () => {
    const app = await preparedApp(world(), 'rate-limited');
    world().workos.fail({ method: 'POST', path: '/webhook_endpoints' }, { status: 429, headers: { 'Retry-After': '1' }, body: { message: 'Too many requests' }, times: 1 });
    const run = await runOn(app);
    expect(run.exitCode, run.all).toBe(0);
    expectOneOfEach('rate-limited');
  }));

  it('WorkOS answers 500 when creating the webhook: exit 1 naming the step, rerun completes', () => inOwnWorld(async () => {
    const app = await preparedApp(world(), 'webhook-500');
    world().workos.fail({ method: 'POST', path: '/webhook_endpoints' }, { status: 500, body: { message: 'Internal error' }, times: 1000 });
    const failed = await runOn(app);
    world().workos.clearFaults();
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/Configure WorkOS failed/);
    const done = await runOn(app);
    expect(done.exitCode, done.all).toBe(0);
    expectOneOfEach('webhook-500');
  }));
});

// Ctrl-C during a step (the push's convex CLI): fault-matrix.test.ts, "push-convex under SIGINT" and the other SIGINT rows.

describe.concurrent('self-hosted Convex', () => {
  it('uses the given deployment and makes no account API call', () => inOwnWorld(async () => {
    const app = await preparedApp(world(), 'self-hosted');
    const { url, adminKey, deployment } = await world().convex.createSelfHosted();
    const accountCallsBefore = world().convex.requests.filter((r) => r.kind === 'account').length;
    const run = await runOn(app, { CONVEX_OVERRIDE_ACCESS_TOKEN: '', CONVEX_SELF_HOSTED_URL: url, CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).not.toContain(adminKey);
    expect(world().convex.requests.filter((r) => r.kind === 'account').length).toBe(accountCallsBefore);
    expect(deployment.pushes.length).toBe(1);
    expect(deployment.env.WORKOS_CLIENT_ID).toBe(world().workos.clientId);
    const endpoints = world().workos.state.webhookEndpoints.filter((e) => e.endpoint_url === `${deployment.siteUrl}/workos/webhook`);
    expect(endpoints).toHaveLength(1);
    expect(deployment.env.WORKOS_WEBHOOK_SECRET).toBe(endpoints[0]!.secret);
  }));
});
