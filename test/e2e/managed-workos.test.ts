/**
 * Convex-managed WorkOS (--workos-managed): no WorkOS keys; Convex links a WorkOS team to the Convex
 * team and makes the dev deployment's environment, which the rest of the run then uses like given keys.
 * The error cases run the real CLI only as far as the step that refuses (before anything is created);
 * the full run finishes a copy of the shared prepared app (no new scaffold), then a rerun, doctor and
 * --add-production use that project.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import fs from 'fs-extra';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { useWorld } from '../helpers/use-world.js';

vi.setConfig({ testTimeout: 3 * 60_000 });

const world = useWorld();
const forever = 1000;

/** The world's environment without WorkOS keys: a managed run has none. */
const noKeys = () => ({ ...world().env(), WORKOS_API_KEY: undefined, WORKOS_CLIENT_ID: undefined });
const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'cak-managed-'));
const mw = () => world().convex.managedWorkos;
const teamId = () => world().convex.teams[0]!.id;
const workosCalls = () => world().convex.requests.filter((r) => r.path.includes('workos'));

/** Resets the account's managed-WorkOS side between cases. */
function account(opts: { emails?: string[]; workosAccounts?: string[]; notAdmin?: boolean; linked?: boolean } = {}) {
  mw().emails = opts.emails ?? ['you@example.com'];
  mw().workosAccounts = opts.workosAccounts ?? [];
  mw().notAdminOf = opts.notAdmin ? [teamId()] : [];
  mw().teams.clear();
  if (opts.linked) mw().teams.set(teamId(), { id: 'team_LINKED', name: 'Acme WorkOS', adminEmail: 'admin@example.com', productionState: 'inactive' });
}

describe('choosing where the WorkOS environment comes from', () => {
  it('--workos-managed with a key: exit 2 before any network call, naming both ways', async () => {
    const cwd = scratch();
    const run = await runCli(['app', '--yes', '--workos-managed', '--workos-client-id', 'client_01UNITTEST0000'], { cwd, env: noKeys() });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('--workos-managed lets Convex create the WorkOS environment, so it takes no WorkOS keys, but --workos-client-id was given');
    expect(readdirSync(cwd)).toEqual([]);
    expect(world().convex.requests).toEqual([]);
  });

  it('a key in the environment with --workos-managed is refused too', async () => {
    const cwd = scratch();
    const run = await runCli(['app', '--yes', '--workos-managed'], { cwd, env: { ...noKeys(), WORKOS_API_KEY: 'sk_test_unitTestKey0123456789' } });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('WORKOS_API_KEY (in the environment) was given');
  });

  it('no keys and no --workos-managed without a terminal: exit 2 listing both ways', async () => {
    const cwd = scratch();
    const run = await runCli(['app', '--yes'], { cwd, env: noKeys() });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toMatch(/--workos-api-key \(or env WORKOS_API_KEY\)/);
    expect(run.all).toMatch(/--workos-client-id \(or env WORKOS_CLIENT_ID\)/);
    expect(run.all).toMatch(/or --workos-managed: Let Convex create/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('the Convex team has no WorkOS team yet: each refusal stops the run before anything is created', () => {
  it('without a terminal and without --workos-team-email: exit 2 naming the emails and the command to run once by hand', async () => {
    account({ emails: ['you@example.com', 'work@example.com'] });
    const cwd = scratch();
    const run = await runCli(['app', '--yes', '--workos-managed'], { cwd, env: noKeys() });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('The Convex team acme has no WorkOS team yet');
    expect(run.all).toContain('--workos-team-email with one of your verified emails (you@example.com, work@example.com)');
    expect(run.all).toContain('npx convex integration workos provision-team');
    expect(readdirSync(cwd)).toEqual([]);
    expect(mw().teams.size).toBe(0);
    expect(workosCalls().some((r) => r.path.endsWith('/provision_associated_workos_team'))).toBe(false);
  });

  it('an email that already owns a WorkOS account: exit 2, pick another', async () => {
    account({ emails: ['you@example.com', 'work@example.com'], workosAccounts: ['you@example.com'] });
    const cwd = scratch();
    const run = await runCli(['app', '--yes', '--workos-managed', '--workos-team-email', 'you@example.com'], { cwd, env: noKeys() });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('you@example.com already has a WorkOS account, so Convex cannot create a new WorkOS team with it');
    expect(run.all).toContain('Pass another verified email of your Convex account with --workos-team-email');
    expect(readdirSync(cwd)).toEqual([]);
    expect(mw().teams.size).toBe(0);
  });

  it('an email that is not a verified email of the account: exit 2 listing the ones that are', async () => {
    account({ emails: ['you@example.com'] });
    const run = await runCli(['app', '--yes', '--workos-managed', '--workos-team-email', 'stranger@example.com'], { cwd: scratch(), env: noKeys() });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('stranger@example.com is not a verified email of your Convex account');
    expect(run.all).toContain('Pass one of you@example.com with --workos-team-email');
  });

  it('not an admin of the Convex team: exit 2, an admin runs the command once', async () => {
    account({ notAdmin: true });
    const cwd = scratch();
    const run = await runCli(['app', '--yes', '--workos-managed', '--workos-team-email', 'you@example.com'], { cwd, env: noKeys() });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('Only an admin of the Convex team acme can create its WorkOS team');
    expect(run.all).toContain('Ask an admin of acme to run `npx convex integration workos provision-team` once');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('Convex failing to create the team: exit 1 naming the step and the rerun, nothing created', async () => {
    account({ emails: ['you@example.com'] });
    world().convex.fail({ path: /\/provision_associated_workos_team$/ }, { status: 500, body: { code: 'InternalServerError', message: 'down' }, times: 1 });
    const cwd = scratch();
    const run = await runCli(['app', '--yes', '--workos-managed', '--workos-team-email', 'you@example.com'], { cwd, env: noKeys() });
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toContain('Link a WorkOS team to the Convex team failed');
    expect(run.all).toMatch(/Fix: .*run the same command again/);
    expect(mw().teams.size).toBe(0);
    for (const secret of world().secrets()) expect(run.all).not.toContain(secret);
  });

  it('with a verified email: the WorkOS team is created before the app, once', async () => {
    account({ emails: ['you@example.com'] });
    // Stop the run right after the team step: create-next-app cannot be fetched.
    world().npm.fail({ path: /./ }, { status: 503, times: forever });
    const before = world().convex.requests.length;
    const cwd = scratch();
    const run = await runCli(['team-app', '--yes', '--workos-managed', '--workos-team-email', 'you@example.com'], {
      cwd,
      env: { ...noKeys(), ...world().npm.env(), npm_config_fetch_retries: '0' },
    });
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toContain('Created the WorkOS team "Acme" for the Convex team acme (admin: you@example.com)');
    expect(mw().teams.get(teamId())?.adminEmail).toBe('you@example.com');
    expect(world().convex.requests.slice(before).filter((r) => r.path.endsWith('/provision_associated_workos_team'))).toHaveLength(1);
  });
});

describe('a managed project, start to finish', () => {
  const name = 'managed-app';
  let app: string;

  const deployment = () => {
    const project = world().convex.state.projects.find((p) => p.name === name)!;
    return world().convex.state.deployments.find((d) => d.projectId === project.id)!;
  };

  it('finishes with the environment Convex made: keys in .env.local (0600), every variable set once before the push, webhook at the site URL', async () => {
    // The team already has a WorkOS team (made by a teammate): it is reused, not made again.
    account({ linked: true });
    app = await preparedApp(world(), name);
    // Convex fails once when asked for the environment: the run stops there, and the same command resumes.
    world().convex.fail({ path: /\/get_or_provision_workos_environment$/ }, { status: 500, body: { code: 'InternalServerError', message: 'down' }, times: 1 });
    const failed = await runCli([name, '--yes', '--workos-managed'], { cwd: path.dirname(app), env: noKeys(), timeoutMs: 8 * 60_000 });
    expect(failed.exitCode, failed.all).toBe(1);
    expect(failed.all).toContain('Get the WorkOS environment from Convex failed');
    expect(failed.all).toContain('run the same command again');
    expect(world().workos.environments).toEqual([]);
    const run = await runCli([name, '--yes', '--workos-managed'], { cwd: path.dirname(app), env: noKeys(), timeoutMs: 8 * 60_000 });
    expect(run.exitCode, run.all).toBe(0);
    for (const secret of world().secrets()) expect(failed.all).not.toContain(secret);
    expect(failed.all).toContain('already has a WorkOS team "Acme WorkOS"');

    // A real environment of the WorkOS stand-in, made once, for this deployment.
    const d = deployment();
    const envs = world().workos.environments;
    expect(envs).toHaveLength(1);
    const env = envs[0]!;
    expect(mw().environments.get(d.name)?.clientId).toBe(env.clientId);

    const local = dotenv.parse(await fs.readFile(path.join(app, '.env.local'), 'utf8'));
    expect(local.WORKOS_CLIENT_ID).toBe(env.clientId);
    expect(local.WORKOS_API_KEY).toBe(env.apiKey);
    expect(statSync(path.join(app, '.env.local')).mode & 0o777).toBe(0o600);

    // WorkOS: the managed environment got the redirect URI, CORS origin and one webhook endpoint.
    expect(env.state.redirectUris).toContain('http://localhost:3000/callback');
    expect(env.state.corsOrigins).toContain('http://localhost:3000');
    const endpoints = env.state.webhookEndpoints.filter((e) => e.endpoint_url === `${d.siteUrl}/workos/webhook`);
    expect(endpoints).toHaveLength(1);
    expect(world().workos.state.webhookEndpoints).toEqual([]); // nothing went to the staging environment

    // The deployment: the environment's keys and the webhook's secret, all in one call, before the first push.
    expect(d.env.WORKOS_CLIENT_ID).toBe(env.clientId);
    expect(d.env.WORKOS_API_KEY).toBe(env.apiKey);
    expect(d.env.WORKOS_WEBHOOK_SECRET).toBe(endpoints[0]!.secret);
    const deploymentCalls = world().convex.requests.filter((r) => r.deployment === d.name);
    const sets = deploymentCalls.filter((r) => r.path === '/api/update_environment_variables');
    expect(sets).toHaveLength(1);
    const names = (sets[0]!.body as { changes: Array<{ name: string }> }).changes.map((c) => c.name).sort();
    expect(names).toEqual(expect.arrayContaining(['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_WEBHOOK_SECRET']));
    const firstPush = deploymentCalls.findIndex((r) => r.path.includes('start_push'));
    expect(firstPush).toBeGreaterThan(deploymentCalls.indexOf(sets[0]!));

    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.options.workosManaged).toBe(true);
    expect(manifest.options.workosClientId).toBe(env.clientId);
    expect(manifest.workosEnvironment).toEqual({ id: env.id, name: env.name });
    expect(JSON.stringify(manifest)).not.toContain(env.apiKey);
    for (const secret of world().secrets()) expect(run.all).not.toContain(secret);
  });

  it('a rerun (--add-sso) uses the same environment: none made, the keys from .env.local', async () => {
    const before = world().convex.requests.length;
    const run = await runCli(['--add-sso'], { cwd: app, env: noKeys(), timeoutMs: 8 * 60_000 });
    expect(run.exitCode, run.all).toBe(0);
    expect(world().workos.environments).toHaveLength(1);
    const calls = world().convex.requests.slice(before).filter((r) => r.path.endsWith('/get_or_provision_workos_environment'));
    expect(calls).toEqual([]);
    for (const secret of world().secrets()) expect(run.all).not.toContain(secret);
  });

  it('doctor checks the managed environment with Convex, and says when .env.local points elsewhere', async () => {
    const ok = await runCli(['doctor'], { cwd: app, env: noKeys() });
    expect(ok.exitCode, ok.all).toBe(0);
    expect(ok.all).toContain(`✓ Convex still has the deployment's WorkOS environment (${deployment().name}, ${world().workos.environments[0]!.clientId})`);

    mw().environments.delete(deployment().name);
    const gone = await runCli(['doctor'], { cwd: app, env: noKeys() });
    expect(gone.exitCode, gone.all).toBe(1);
    expect(gone.all).toContain(`Convex has no WorkOS environment for the deployment ${deployment().name} any more`);
  });

  it('--add-production without keys explains how a managed project gets its production environment', async () => {
    const run = await runCli(['--add-production', '--domain', 'app.example.com', '--yes'], { cwd: app, env: noKeys() });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('production needs a production WorkOS environment of its own');
    expect(run.all).toContain('npx convex integration workos create-project-environment --name production --production');
  });
});
