/**
 * `doctor` on a finished project against the offline Convex and WorkOS stand-ins: a healthy project
 * passes; each break made on purpose (and undone after) fails the right check with its fix.
 */
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inApp } from '../helpers/app-checks.js';
import { cliPath, runCli, type CliRun } from '../helpers/cli.js';
import { finishedApp } from '../helpers/prepared-app.js';
import { startWorld, type World } from '../helpers/world.js';
import { rolesOf } from '../world/workos/roles.js';

vi.setConfig({ testTimeout: 90_000 });

interface Report {
  ok: boolean;
  exitCode: number;
  checks: Array<{ id: string; ok: boolean; title: string; cause?: string; fix?: string; warn?: string; skipped?: string; code?: string }>;
}

let world: World;
let app: string;
const name = 'doctor-app';

beforeAll(async () => {
  world = await startWorld();
  app = await finishedApp(world, name);
}, 15 * 60_000);
afterAll(async () => {
  await world?.close();
});

const deployment = () => {
  const project = world.convex.state.projects.find((p) => p.name === name)!;
  return world.convex.state.deployments.find((d) => d.projectId === project.id)!;
};
const webhookUrl = () => `${deployment().siteUrl}/workos/webhook`;

const doctor = (args: string[] = []) => runCli(['doctor', ...args], { cwd: app, env: world.env() });
async function doctorJson(args: string[] = []): Promise<{ run: CliRun; report: Report }> {
  const run = await doctor(['--json', ...args]);
  const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Report;
  for (const secret of world.secrets()) expect(run.all).not.toContain(secret);
  return { run, report };
}
const check = (report: Report, id: string) => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};
const failedIds = (report: Report) => report.checks.filter((c) => !c.ok).map((c) => c.id);

/** Edit a project file for one test, and put it back afterwards. */
async function withEditedFile(rel: string, edit: (text: string) => string, body: () => Promise<void>) {
  const file = path.join(app, rel);
  const original = await fs.readFile(file, 'utf8');
  const edited = edit(original);
  expect(edited).not.toBe(original);
  await fs.writeFile(file, edited);
  try {
    await body();
  } finally {
    await fs.writeFile(file, original);
  }
}

describe('doctor', () => {
  it('passes a healthy project: every check ✓, exit 0, no secret printed', async () => {
    const run = await doctor();
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toContain('✓ .env.local has WORKOS_CLIENT_ID');
    expect(run.stdout).toContain('All checks passed');
    expect(run.stdout).not.toContain('✗');
    const cookie = (await fs.readFile(path.join(app, '.env.local'), 'utf8')).match(/WORKOS_COOKIE_PASSWORD=(.+)/)![1]!;
    for (const secret of [...world.secrets(), cookie]) expect(run.all).not.toContain(secret);

    const { report } = await doctorJson();
    expect(report).toMatchObject({ ok: true, exitCode: 0 });
    expect(failedIds(report)).toEqual([]);
    // Nothing skipped or warned in a fresh project (except the token check, which needs --token, and
    // what this project does not use: a custom authentication domain, a Convex-managed WorkOS
    // environment, organizations).
    expect(report.checks.filter((c) => c.skipped || c.warn).map((c) => c.id)).toEqual([
      'deployment.WORKOS_AUTH_DOMAIN',
      'token',
      'workos.managed-environment',
      'workos.roles',
    ]);
  });

  it.each(['WORKOS_CLIENT_ID', 'WORKOS_API_KEY', 'WORKOS_WEBHOOK_SECRET'])('names a variable missing on the deployment: %s', async (variable) => {
    const saved = deployment().env[variable]!;
    delete deployment().env[variable];
    try {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      const c = check(report, `deployment.${variable}`);
      expect(c.ok).toBe(false);
      expect(c.cause).toContain(`no ${variable}`);
      // The webhook secret comes from WorkOS: the one command that repairs the webhook sets it.
      expect(c.fix).toContain(variable === 'WORKOS_WEBHOOK_SECRET' ? 'npx create-authkit-convex --add-webhooks' : `npx convex env set ${variable}`);
      if (variable === 'WORKOS_CLIENT_ID') {
        // auth.config reads it: the push would fail, and the providers would say "undefined".
        expect(c.fix).toBe(`npx convex env set WORKOS_CLIENT_ID ${world.workos.clientId}`);
        expect(check(report, 'auth-config')).toMatchObject({ ok: false });
        expect(check(report, 'auth-config').cause).toContain('AuthConfigMissingEnvironmentVariable');
        // The fix, run as printed, makes the project healthy again.
        const fix = c.fix!.replace(/^npx convex /, '').split(' ');
        const set = await execa(process.execPath, [path.join(app, 'node_modules/convex/bin/main.js'), ...fix], { cwd: app, env: world.env(), reject: false, all: true });
        expect(set.exitCode, set.all).toBe(0);
        const after = await doctorJson();
        expect(failedIds(after.report)).toEqual([]);
      } else {
        expect(failedIds(report)).toEqual([`deployment.${variable}`]);
      }
    } finally {
      deployment().env[variable] = saved;
    }
  });

  it('catches a client ID in .env.local that the deployment does not trust', async () => {
    const other = 'client_01OTHERCLIENT0000000000';
    await withEditedFile('.env.local', (t) => t.replace(/^WORKOS_CLIENT_ID=.*$/m, `WORKOS_CLIENT_ID=${other}`), async () => {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      const c = check(report, 'deployment.WORKOS_CLIENT_ID');
      expect(c.ok).toBe(false);
      expect(c.cause).toContain(`WORKOS_CLIENT_ID ${world.workos.clientId}`);
      expect(c.cause).toContain(other);
      expect(c.fix).toContain(`npx convex env set WORKOS_CLIENT_ID ${other}`);
      // WorkOS itself refuses to start a sign-in for an unknown client ID.
      expect(check(report, 'workos.redirect-uri')).toMatchObject({ ok: false });
      expect(check(report, 'workos.redirect-uri').cause).toContain(other);
    });
  });

  it('catches an issuer typo in convex/auth.config.ts and says which string to change', async () => {
    await withEditedFile('convex/auth.config.ts', (t) => t.replace(/(issuer: `https:\/\/api\.workos\.com\/)user_management\//, '$1user_managment/'), async () => {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      expect(failedIds(report)).toEqual(['auth-config']);
      const c = check(report, 'auth-config');
      const clientId = world.workos.clientId;
      expect(c.cause).toContain(`"https://api.workos.com/user_management/${clientId}"`);
      expect(c.fix).toContain(`change the issuer "https://api.workos.com/user_managment/${clientId}" to "https://api.workos.com/user_management/${clientId}"`);
      expect(c.fix).toContain('npx convex dev --once');
      // The text form: one ✗ with its cause and fix under it.
      const text = await doctor();
      expect(text.exitCode).toBe(1);
      expect(text.stdout).toContain(`✗ ${c.title}\n    Cause: ${c.cause}\n    Fix:   ${c.fix}\n`);
      expect(text.stdout).toContain('1 of ');
    });
  });

  it('catches applicationID on the user_management provider (its tokens have no aud)', async () => {
    await withEditedFile(
      'convex/auth.config.ts',
      (t) => t.replace(/(issuer: `https:\/\/api\.workos\.com\/user_management\/\$\{clientId\}`,)/, '$1\n      applicationID: clientId,'),
      async () => {
        const { report } = await doctorJson();
        expect(failedIds(report)).toEqual(['auth-config']);
        expect(check(report, 'auth-config').fix).toContain('remove applicationID');
      },
    );
  });

  describe('--token', () => {
    const token = (claims: Parameters<World['workos']['signAccessToken']>[0]) => world.workos.signAccessToken(claims);

    it('accepts a token of this environment', async () => {
      const { run, report } = await doctorJson(['--token', await token({ sub: 'user_01GOOD' })]);
      expect(run.exitCode, run.all).toBe(0);
      expect(check(report, 'token')).toMatchObject({ ok: true });
    });

    it('names the issuer mismatch of a token minted for another client ID', async () => {
      const jwt = await token({ sub: 'user_01X', issuer: 'https://api.workos.com/user_management/client_01OTHER000000' });
      const { run, report } = await doctorJson(['--token', jwt]);
      expect(run.exitCode).toBe(1);
      expect(run.all).not.toContain(jwt);
      const c = check(report, 'token');
      expect(c).toMatchObject({ ok: false, code: 'issuer' });
      expect(c.cause).toContain('iss "https://api.workos.com/user_management/client_01OTHER000000"');
      expect(c.cause).toContain(`minted for client ID client_01OTHER000000, this project uses ${world.workos.clientId}`);
      expect(failedIds(report)).toEqual(['token']);
    });

    it('names an unknown signing key (kid)', async () => {
      const { report } = await doctorJson(['--token', await token({ sub: 'user_01X', kid: 'sso_oidc_kid_UNKNOWN' })]);
      const c = check(report, 'token');
      expect(c).toMatchObject({ ok: false, code: 'kid' });
      expect(c.cause).toContain('no key with kid "sso_oidc_kid_UNKNOWN"');
      expect(c.fix).toContain('another WorkOS environment');
    });

    it('names an expired token, and reads the token from stdin with --token -', async () => {
      const jwt = await token({ sub: 'user_01X', ttlSeconds: -60 });
      const run = await execa(process.execPath, [cliPath, 'doctor', '--json', '--token', '-'], {
        cwd: app,
        env: { CI: 'true', ...world.env() },
        input: jwt,
        reject: false,
      });
      const report = JSON.parse(String(run.stdout).trim()) as Report;
      expect(check(report, 'token')).toMatchObject({ ok: false, code: 'expired' });
    });
  });

  it('catches a deleted webhook endpoint', async () => {
    const endpoints = world.workos.state.webhookEndpoints;
    const at = endpoints.findIndex((e) => e.endpoint_url === webhookUrl());
    expect(at).toBeGreaterThanOrEqual(0);
    const [removed] = endpoints.splice(at, 1);
    try {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      expect(failedIds(report)).toEqual(['workos.webhook']);
      const c = check(report, 'workos.webhook');
      expect(c.cause).toContain(`no webhook endpoint for ${webhookUrl()}`);
      // The fix is the one command that repairs it (see reruns.test.ts for the repair itself).
      expect(c.fix).toMatch(/^npx create-authkit-convex --add-webhooks /);
      expect(c.fix).toContain(webhookUrl());
    } finally {
      endpoints.splice(at, 0, removed!);
    }
  });

  it('catches a disabled webhook endpoint, and one missing events', async () => {
    const endpoint = world.workos.state.webhookEndpoints.find((e) => e.endpoint_url === webhookUrl())!;
    const saved = { status: endpoint.status, events: endpoint.events };
    try {
      endpoint.status = 'disabled';
      let { report } = await doctorJson();
      expect(check(report, 'workos.webhook').fix).toContain('Enable');
      endpoint.status = 'enabled';
      endpoint.events = saved.events.filter((e) => !e.startsWith('organization_membership.'));
      ({ report } = await doctorJson());
      expect(check(report, 'workos.webhook').cause).toContain('does not send organization_membership.created');
    } finally {
      Object.assign(endpoint, saved);
    }
  });

  it('catches a redirect URI WorkOS does not know', async () => {
    const uris = world.workos.state.redirectUris;
    const saved = [...uris];
    uris.splice(uris.indexOf('http://localhost:3000/callback'), 1);
    try {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      expect(failedIds(report)).toEqual(['workos.redirect-uri']);
      const c = check(report, 'workos.redirect-uri');
      expect(c.cause).toContain('http://localhost:3000/callback');
      expect(c.fix).toBe('WorkOS dashboard → Redirects → Redirect URIs: add http://localhost:3000/callback');
    } finally {
      uris.splice(0, uris.length, ...saved);
    }
  });

  it('catches a cookie password in .env.local too short for authkit-nextjs (local.*)', async () => {
    await withEditedFile('.env.local', (t) => t.replace(/^WORKOS_COOKIE_PASSWORD=.*$/m, 'WORKOS_COOKIE_PASSWORD=only-20-characters!!'), async () => {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      expect(failedIds(report)).toEqual(['local.WORKOS_COOKIE_PASSWORD']);
      const c = check(report, 'local.WORKOS_COOKIE_PASSWORD');
      expect(c.cause).toContain('is 20 characters long; authkit-nextjs needs at least 32');
      expect(c.fix).toContain("randomBytes(32)");
    });
  });

  it('catches an API key in .env.local that WorkOS rejects (workos.api-key), without printing it', async () => {
    const revoked = 'sk_test_revokedKeyNobodyKnows0123';
    await withEditedFile('.env.local', (t) => t.replace(/^WORKOS_API_KEY=.*$/m, `WORKOS_API_KEY=${revoked}`), async () => {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      expect(run.all).not.toContain(revoked);
      const c = check(report, 'workos.api-key');
      expect(c.ok).toBe(false);
      expect(c.cause).toContain('rejected the key');
      expect(c.fix).toContain('WorkOS dashboard → API Keys');
      expect(c.fix).toContain('npx convex env set WORKOS_API_KEY');
    });
  });

  it('catches a JWKS URL that serves no keys (jwks)', async () => {
    world.workos.fail({ path: /^\/sso\/jwks\// }, { status: 404, body: { message: 'Not found' }, times: 1000 });
    try {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      expect(failedIds(report)).toEqual(['jwks']);
      const c = check(report, 'jwks');
      expect(c.cause).toContain(`answered 404: WorkOS does not know the client ID ${world.workos.clientId}`);
      expect(c.fix).toContain('npx convex env set WORKOS_CLIENT_ID');
    } finally {
      world.clearFaults();
    }
  });

  it('names a deployment it cannot read (an expired Convex login), and skips what depends on it', async () => {
    const { exitCode, stdout, all } = await runCli(['doctor', '--json'], { cwd: app, env: { ...world.env(), CONVEX_OVERRIDE_ACCESS_TOKEN: 'standin_expiredLoginToken0000' } });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
    expect(exitCode, all).toBe(1);
    expect(failedIds(report)).toEqual(['deployment']);
    const c = check(report, 'deployment');
    expect(c.cause).toMatch(/could not read the deployment's variables/);
    expect(c.fix).toContain('npx convex login');
    expect(check(report, 'deployment.WORKOS_CLIENT_ID').skipped).toContain('could not be read');
    expect(check(report, 'auth-config').skipped).toContain('could not be read');
  });

  it('warns (does not fail) on version drift', async () => {
    const pkgFile = path.join(app, 'node_modules/geist/package.json');
    // node_modules is hard-linked to the shared base: replace the file rather than edit it in place.
    const original = await fs.readFile(pkgFile, 'utf8');
    await fs.remove(pkgFile);
    await fs.writeFile(pkgFile, original.replace(/"version":\s*"[^"]+"/, '"version": "0.0.1"'));
    try {
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(0);
      const c = check(report, 'versions');
      expect(c.ok).toBe(true);
      expect(c.warn).toContain('geist 0.0.1 (tested: ');
      expect(c.fix).toMatch(/^npm install --save-exact geist@/);
    } finally {
      await fs.remove(pkgFile);
      await fs.writeFile(pkgFile, original);
    }
  });
});

// Last: it adds a feature to the project the checks above share (a rerun of the finished app).
describe('organizations added to the finished project', () => {
  const addOrganizations = () => runCli(['--add-organizations'], { cwd: app, env: world.env(), timeoutMs: 8 * 60_000 });
  const role = (slug: string) => rolesOf(world.workos.state).roles.find((r) => r.slug === slug);

  it('--add-organizations writes its files, pushes them, and creates the roles and permissions of workos/roles.json in WorkOS', async () => {
    const pushes = deployment().pushes.length;
    const run = await addOrganizations();
    expect(run.exitCode, run.all).toBe(0);
    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.features).toContain('organizations');
    for (const rel of ['workos/roles.json', 'convex/projects.ts', 'convex/lib/organizations.ts', 'src/app/dashboard/organizations/page.tsx']) {
      expect(await fs.pathExists(path.join(app, rel)), rel).toBe(true);
    }
    expect(await fs.readFile(path.join(app, 'convex/schema.ts'), 'utf8')).toContain('projects: defineTable');
    expect(deployment().pushes.length).toBe(pushes + 1);
    expect(deployment().pushes.at(-1)!.modules.map((m) => m.path)).toEqual(expect.arrayContaining(['projects.js', 'organizations/cleanup.js']));
    expect(role('viewer')?.permissions).toEqual(['projects:read']);
    expect(role('admin')?.permissions).toEqual(['projects:read', 'projects:write', 'members:invite']);
    expect(rolesOf(world.workos.state).permissions.map((p) => p.slug)).toEqual(['projects:read', 'projects:write', 'members:invite']);
    // The webhook endpoint now also sends the invitation events the new code keeps.
    const endpoint = world.workos.state.webhookEndpoints.find((e) => e.endpoint_url === webhookUrl())!;
    expect(endpoint.events).toEqual(expect.arrayContaining(['invitation.created', 'invitation.accepted', 'invitation.revoked', 'invitation.resent', 'user.created']));
    for (const secret of world.secrets()) expect(run.all).not.toContain(secret);
  });

  it("the app's own tests pass with organizations (organization-scoped projects, permissions, removal, cleanup)", async () => {
    const tests = await inApp(app, 'npm', ['test']);
    expect(tests.exitCode, tests.all).toBe(0);
    expect(tests.all).toMatch(/projects\.test\.ts/);
  }, 5 * 60_000);

  it('doctor reports roles that drifted from workos/roles.json, and --add-organizations (its fix) puts them back', async () => {
    expect(check((await doctorJson()).report, 'workos.roles').ok).toBe(true);
    role('member')!.permissions = ['projects:read'];
    const { run, report } = await doctorJson();
    expect(run.exitCode).toBe(1);
    const c = check(report, 'workos.roles');
    expect(c.ok).toBe(false);
    expect(c.cause).toContain('role member has [projects:read], the file says [projects:read, projects:write]');
    expect(c.fix).toMatch(/^npx create-authkit-convex --add-organizations/);
    const repaired = await addOrganizations();
    expect(repaired.exitCode, repaired.all).toBe(0);
    expect(role('member')?.permissions).toEqual(['projects:read', 'projects:write']);
    expect(failedIds((await doctorJson()).report)).toEqual([]);
  });

  it('doctor catches an organizations endpoint that lost the invitation events', async () => {
    const endpoint = world.workos.state.webhookEndpoints.find((e) => e.endpoint_url === webhookUrl())!;
    const saved = endpoint.events;
    try {
      endpoint.events = saved.filter((e) => !e.startsWith('invitation.'));
      const { run, report } = await doctorJson();
      expect(run.exitCode).toBe(1);
      expect(check(report, 'workos.webhook').cause).toContain('does not send invitation.created');
    } finally {
      endpoint.events = saved;
    }
  });
});
