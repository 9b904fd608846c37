/**
 * --workos-auth-domain: a WorkOS custom authentication domain issues tokens with its own issuer
 * (https://<domain>/user_management/<clientId>) and serves the keys at its host. The deployment's
 * WORKOS_AUTH_DOMAIN makes convex/auth.config.ts trust it; without the variable nothing changes.
 * The WorkOS stand-in plays the environment with that domain, the Convex stand-in judges the tokens.
 */
import path from 'node:path';
import { ConvexClient } from 'convex/browser';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { finishedApp, preparedApp } from '../helpers/prepared-app.js';
import { startWorld, type World } from '../helpers/world.js';

vi.setConfig({ testTimeout: 120_000 });

const domain = 'auth.example.test';
let world: World;
let app: string;
const name = 'domain-app';

beforeAll(async () => {
  world = await startWorld();
  app = await finishedApp(world, name);
  // The WorkOS environment has the custom domain (set in its dashboard); the project does not know yet.
  world.workos.setAuthDomain(domain);
}, 15 * 60_000);
afterAll(async () => {
  world.workos.setAuthDomain(undefined);
  await world?.close();
});

const deploymentOf = (project: string) => {
  const p = world.convex.state.projects.find((x) => x.name === project)!;
  return world.convex.state.deployments.find((d) => d.projectId === p.id)!;
};
const deployment = () => deploymentOf(name);
const envUpdates = () => world.convex.requests.filter((r) => r.path.endsWith('/update_environment_variables'));

/** An access token issued through the custom domain, or through api.workos.com (both valid for the environment). */
async function tokenVia(authDomain: string | undefined): Promise<string> {
  const issuer = authDomain ? undefined : `https://api.workos.com/user_management/${world.workos.clientId}`;
  const token = await world.workos.signAccessToken({ sub: 'user_01DOMAINTEST', ...(issuer ? { issuer } : {}) });
  expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).iss).toBe(issuer ?? `https://${authDomain}/user_management/${world.workos.clientId}`);
  return token;
}

/** Whether the deployment accepts the token, asked as the app's Convex client asks (the sync socket). */
async function convexAccepts(token: string): Promise<boolean> {
  const client = new ConvexClient(deployment().url);
  try {
    return await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the Convex stand-in never answered the token')), 30_000);
      client.setAuth(
        async () => token,
        (ok) => {
          clearTimeout(timer);
          resolve(ok);
        },
      );
    });
  } finally {
    await client.close();
  }
}

interface Report {
  ok: boolean;
  checks: Array<{ id: string; ok: boolean; cause?: string; fix?: string; skipped?: string; detail?: string }>;
}
async function doctor(args: string[] = []): Promise<Report> {
  const run = await runCli(['doctor', '--json', ...args], { cwd: app, env: world.env() });
  for (const secret of world.secrets()) expect(run.all).not.toContain(secret);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Report;
}
const check = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;

describe('--workos-auth-domain', () => {
  it('without it: no WORKOS_AUTH_DOMAIN, the two WorkOS issuers only, doctor passes and skips the domain', async () => {
    expect(deployment().env.WORKOS_AUTH_DOMAIN).toBeUndefined();
    expect(world.convex.authProviders(deployment().name).map((p) => p.issuer)).toEqual([
      'https://api.workos.com/',
      `https://api.workos.com/user_management/${world.workos.clientId}`,
    ]);
    expect(await convexAccepts(await tokenVia(undefined))).toBe(true);
    expect(await convexAccepts(await tokenVia(domain))).toBe(false);
    const report = await doctor();
    expect(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok))).toBe(true);
    expect(check(report, 'deployment.WORKOS_AUTH_DOMAIN').skipped).toContain('no custom authentication domain');
    // A token issued through the domain: doctor --token says so, and the command that trusts it.
    const refused = check(await doctor(['--token', await tokenVia(domain)]), 'token');
    expect(refused.ok).toBe(false);
    expect(refused.cause).toContain(`custom authentication domain ${domain}`);
    expect(refused.fix).toContain(`npx create-authkit-convex --workos-auth-domain ${domain}`);
  });

  it('on the project: sets WORKOS_AUTH_DOMAIN in one update, records it, and Convex accepts the tokens it issues', async () => {
    const updatesBefore = envUpdates().length;
    const run = await runCli(['--workos-auth-domain', domain, '--yes'], { cwd: app, env: world.env() });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toContain('Updating the project');
    expect(deployment().env.WORKOS_AUTH_DOMAIN).toBe(domain);
    const updates = envUpdates().slice(updatesBefore);
    expect(updates).toHaveLength(1);
    expect((updates[0]!.body as { changes: Array<{ name: string; value: string }> }).changes).toEqual([{ name: 'WORKOS_AUTH_DOMAIN', value: domain }]);
    expect((await fs.readJson(path.join(app, 'authkit-convex.json'))).options.workosAuthDomain).toBe(domain);
    expect(world.convex.state.projects.filter((p) => p.name === name)).toHaveLength(1);

    // The same auth.config.ts now trusts the domain too (Convex evaluates it with the variables).
    expect(world.convex.authProviders(deployment().name).map((p) => [p.issuer, p.jwks])).toContainEqual([
      `https://${domain}/user_management/${world.workos.clientId}`,
      `https://${domain}/sso/jwks/${world.workos.clientId}`,
    ]);
    const viaDomain = await tokenVia(domain);
    expect(await convexAccepts(viaDomain)).toBe(true);
    expect(await convexAccepts(await tokenVia(undefined))).toBe(true);
    expect(deployment().authChecks.filter((c) => c.ok && c.claims?.iss === `https://${domain}/user_management/${world.workos.clientId}`).length).toBeGreaterThan(0);

    // doctor: the variable, its keys (fetched where WORKOS_API_HOSTNAME points), and the token.
    const report = await doctor(['--token', viaDomain]);
    expect(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok))).toBe(true);
    expect(check(report, 'deployment.WORKOS_AUTH_DOMAIN')).toMatchObject({ ok: true });
    expect(check(report, 'deployment.WORKOS_AUTH_DOMAIN').detail).toContain(`https://${domain}/sso/jwks/`);
    expect(check(report, 'token')).toMatchObject({ ok: true });
    expect(check(report, 'token').detail).toContain(`iss https://${domain}/user_management/`);

    // The same command again changes nothing.
    const again = await runCli(['--workos-auth-domain', domain, '--yes'], { cwd: app, env: world.env() });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toContain('Nothing to do');
    expect(envUpdates().length).toBe(updatesBefore + 1);
  });

  it('doctor names a deployment that lost the variable, with the command that sets it', async () => {
    const env = deployment().env;
    delete env.WORKOS_AUTH_DOMAIN;
    try {
      const report = await doctor();
      const failed = check(report, 'deployment.WORKOS_AUTH_DOMAIN');
      expect(failed.ok).toBe(false);
      expect(failed.cause).toContain(`set up for ${domain}`);
      expect(failed.fix).toContain(`npx create-authkit-convex --workos-auth-domain ${domain}`);
    } finally {
      env.WORKOS_AUTH_DOMAIN = domain;
    }
  });

  it('doctor fails when the domain does not serve the keys', async () => {
    world.workos.fail({ path: /^\/sso\/jwks\// }, { status: 404, times: 1000 });
    try {
      const report = await doctor();
      const failed = check(report, 'deployment.WORKOS_AUTH_DOMAIN');
      expect(failed.ok).toBe(false);
      expect(failed.cause).toContain(`cannot get the keys of ${domain}`);
    } finally {
      world.clearFaults();
    }
  });

  it('a new project with it sets WORKOS_AUTH_DOMAIN in the same one update as the other variables, before the push', async () => {
    const other = 'domain-new-app';
    const dir = await preparedApp(world, other);
    const before = world.convex.requests.length;
    const run = await runCli([other, '--yes', '--no-webhooks', '--workos-auth-domain', domain], { cwd: path.dirname(dir), env: world.env(), timeoutMs: 8 * 60_000 });
    expect(run.exitCode, run.all).toBe(0);
    const updates = world.convex.requests.slice(before).filter((r) => r.path.endsWith('/update_environment_variables'));
    expect(updates).toHaveLength(1);
    const names = (updates[0]!.body as { changes: Array<{ name: string }> }).changes.map((c) => c.name).sort();
    expect(names).toContain('WORKOS_AUTH_DOMAIN');
    expect(names).toContain('WORKOS_CLIENT_ID');
    expect(deploymentOf(other).env.WORKOS_AUTH_DOMAIN).toBe(domain);
    expect(deploymentOf(other).pushes.length).toBeGreaterThan(0);
    // --no-webhooks: nothing on the deployment calls WorkOS, so it gets no API key, and doctor asks for none.
    expect(deploymentOf(other).env.WORKOS_API_KEY).toBeUndefined();
    const run2 = await runCli(['doctor', '--json'], { cwd: dir, env: world.env() });
    const report = JSON.parse(run2.stdout.trim().split('\n').at(-1)!) as Report;
    expect(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok))).toBe(true);
    expect(check(report, 'deployment.WORKOS_API_KEY').skipped).toContain('no webhooks');
    expect(check(report, 'deployment.WORKOS_AUTH_DOMAIN')).toMatchObject({ ok: true });
  }, 10 * 60_000);
});
