/**
 * Drives the REAL `convex` CLI (node_modules/convex, 1.49) against the offline stand-in.
 * Needs Node >= 22 as the running node (the CLI refuses older versions).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConvexStandIn, type ConvexStandIn } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const convexBin = path.join(repoRoot, 'node_modules', 'convex', 'bin', 'main.js');
const scratch: string[] = [];

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A project folder whose package.json depends on convex (and next), with the repo's node_modules linked in. */
function makeProject(): string {
  const dir = tempDir('cvx-standin-proj-');
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'standin-app', private: true, dependencies: { convex: '1.49.0', next: '16.0.0' } }, null, 2),
  );
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function writeConvexFolder(dir: string): void {
  const convexDir = path.join(dir, 'convex');
  mkdirSync(convexDir, { recursive: true });
  writeFileSync(
    path.join(convexDir, 'schema.ts'),
    `import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';
export default defineSchema({ notes: defineTable({ text: v.string() }) });
`,
  );
  writeFileSync(
    path.join(convexDir, 'http.ts'),
    `import { httpRouter, httpActionGeneric } from 'convex/server';
const http = httpRouter();
http.route({ path: '/hello', method: 'GET', handler: httpActionGeneric(async () => new Response('hi')) });
export default http;
`,
  );
  writeFileSync(
    path.join(convexDir, 'auth.config.ts'),
    `const clientId = process.env.WORKOS_CLIENT_ID;
export default {
  providers: [
    { type: 'customJwt', issuer: 'https://api.workos.com/', algorithm: 'RS256', jwks: 'https://api.workos.com/sso/jwks/' + clientId, applicationID: clientId },
  ],
};
`,
  );
}

/** A clean environment: nothing inherited that could point the CLI elsewhere or flip it into "AI agent" output. */
function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1' };
}

function runCli(cwd: string, args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [convexBin, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const PROVISION = ['dev', '--once', '--configure', 'new', '--team', 'acme', '--project', 'demo', '--dev-deployment', 'cloud', '--skip-push'];
const PUSH = ['dev', '--once', '--typecheck', 'disable', '--tail-logs', 'disable'];

let standIn: ConvexStandIn;
let home: string;

beforeAll(async () => {
  standIn = await startConvexStandIn();
  home = tempDir('cvx-standin-home-');
});

afterAll(async () => {
  await standIn?.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('cloud dev deployment', () => {
  let project: string;
  const env = (): Record<string, string> => ({ ...baseEnv(home), ...standIn.cliEnv() });

  it('provisions with --skip-push: no push, .env.local written', async () => {
    project = makeProject();
    const from = standIn.requests.length;
    const r = await runCli(project, PROVISION, env());
    expect(r.code, r.stderr).toBe(0);

    expect(standIn.state.projects).toHaveLength(1);
    const deployment = standIn.state.deployments[0]!;
    expect(deployment.siteUrl).not.toBe(deployment.url);

    const dotenv = readFileSync(path.join(project, '.env.local'), 'utf8');
    expect(dotenv).toMatch(new RegExp(`^CONVEX_DEPLOYMENT=dev:${deployment.name} # team: acme, project: demo$`, 'm'));
    expect(dotenv).toContain(`NEXT_PUBLIC_CONVEX_URL=${deployment.url}`);
    expect(dotenv).toContain(`NEXT_PUBLIC_CONVEX_SITE_URL=${deployment.siteUrl}`);

    const reqs = standIn.requests.slice(from);
    expect(reqs.some((q) => q.path.startsWith('/api/deploy2/') || q.path === '/api/get_config_hashes')).toBe(false);
    expect(deployment.pushes).toHaveLength(0);
    const account = reqs.filter((q) => q.kind === 'account').map((q) => `${q.method} ${q.path}`);
    const order = ['GET /api/teams', 'POST /v1/teams/1000/create_project', 'POST /api/deployment/provision_and_authorize'];
    expect(order.map((x) => account.indexOf(x))).toEqual([...order.map((x) => account.indexOf(x))].sort((a, b) => a - b));
    expect(account[0]).toBe('HEAD /api/authorize');
    expect(reqs.some((q) => q.kind === 'deployment' && q.path === '/api/v1/get_canonical_urls')).toBe(true);
    for (let i = 1; i < standIn.requests.length; i++) expect(standIn.requests[i]!.at).toBeGreaterThanOrEqual(standIn.requests[i - 1]!.at);
  });

  it('env set --from-file, then env list / env get show the values', async () => {
    writeFileSync(path.join(project, 'vars.env'), 'FOO=bar\nSPACED="a b"\n');
    const set = await runCli(project, ['env', 'set', '--from-file', 'vars.env'], env());
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('Successfully set 2 environment variables');
    const deployment = standIn.state.deployments[0]!;
    expect(deployment.env).toEqual({ FOO: 'bar', SPACED: 'a b' });
    const update = standIn.requests.find((q) => q.path === '/api/update_environment_variables');
    expect(update?.body).toEqual({ changes: [{ name: 'FOO', value: 'bar' }, { name: 'SPACED', value: 'a b' }] });

    const list = await runCli(project, ['env', 'list'], env());
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('FOO=bar');
    expect(list.stdout).toContain('SPACED=a b');

    const get = await runCli(project, ['env', 'get', 'FOO'], env());
    expect(get.stdout.trim()).toBe('bar');

    // dotenv on stdin; a differing value needs --force
    const conflict = await runCli(project, ['env', 'set'], env(), 'FOO=baz\n');
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('--force');
    const forced = await runCli(project, ['env', 'set', '--force'], env(), 'FOO=baz\n');
    expect(forced.code, forced.stderr).toBe(0);
    expect(deployment.env.FOO).toBe('baz');
  });

  it('rejects a push whose auth.config reads a missing env var', async () => {
    writeConvexFolder(project);
    const r = await runCli(project, PUSH, env());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Environment variable WORKOS_CLIENT_ID is used in auth config file but its value was not set');
    expect(standIn.state.deployments[0]!.pushes).toHaveLength(0);
  });

  it('pushes auth.config, http and schema modules', async () => {
    const set = await runCli(project, ['env', 'set', 'WORKOS_CLIENT_ID', 'client_123'], env());
    expect(set.code, set.stderr).toBe(0);
    const r = await runCli(project, PUSH, env());
    expect(r.code, r.stderr).toBe(0);
    const pushes = standIn.state.deployments[0]!.pushes;
    expect(pushes).toHaveLength(1);
    const paths = pushes[0]!.modules.map((m) => m.path);
    expect(paths).toEqual(expect.arrayContaining(['auth.config.js', 'http.js', 'schema.js']));
    expect(pushes[0]!.modules.find((m) => m.path === 'auth.config.js')!.source).toContain('process.env.WORKOS_CLIENT_ID');
    const startPush = standIn.requests.filter((q) => q.path === '/api/deploy2/start_push').at(-1);
    expect(startPush?.body).toMatchObject({ appDefinition: { changedModules: expect.any(Array) } });
  });
});

describe('account failures', () => {
  it('a rejected token makes the CLI fail (it asks to log in, non-interactively)', async () => {
    const from = standIn.requests.length;
    const r = await runCli(makeProject(), PROVISION, { ...baseEnv(home), ...standIn.cliEnv(), CONVEX_OVERRIDE_ACCESS_TOKEN: 'wrong' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("let's get you logged in");
    expect(standIn.requests.slice(from).map((q) => `${q.method} ${q.path}`)).toEqual(['HEAD /api/authorize']);
    const check = await runCli(makeProject(), ['login', '--check-login'], { ...baseEnv(home), ...standIn.cliEnv(), CONVEX_OVERRIDE_ACCESS_TOKEN: 'wrong' });
    expect(check.code).not.toBe(0);
    expect(check.stderr).toContain('You are not logged in.');
  });

  it('a 500 on provisioning makes the CLI exit non-zero', async () => {
    standIn.fail({ method: 'POST', path: '/api/deployment/provision_and_authorize' }, { status: 500, body: { code: 'InternalServerError', message: 'boom' } });
    const project = makeProject();
    const r = await runCli(project, PROVISION, { ...baseEnv(home), ...standIn.cliEnv() });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('500');
    expect(r.stderr).toContain('InternalServerError: boom');
  });

  it('a dropped connection is retried by the CLI', async () => {
    standIn.fail({ method: 'GET', path: '/api/teams' }, { drop: true });
    const from = standIn.requests.length;
    const r = await runCli(makeProject(), PROVISION, { ...baseEnv(home), ...standIn.cliEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(standIn.requests.slice(from).filter((q) => q.path === '/api/teams')).toHaveLength(2);
  });

  it('fault status/delay/times apply to raw requests', async () => {
    standIn.fail({ path: /^\/api\/teams$/ }, { status: 503, times: 2 });
    standIn.fail({ path: '/api/check_opt_ins' }, { delayMs: 300 });
    const headers = { authorization: `Bearer ${standIn.token}` };
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await fetch(`${standIn.provisionHost}/api/teams`, { headers })).status);
    expect(codes).toEqual([503, 503, 200]);
    const t = Date.now();
    const slow = await fetch(`${standIn.provisionHost}/api/check_opt_ins`, { method: 'POST', headers });
    expect(slow.status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    expect((await fetch(`${standIn.provisionHost}/api/teams`)).status).toBe(401);
  });
});

describe('self-hosted deployment', () => {
  it('env set/list and dev --once work without any account API call', async () => {
    const { url, adminKey, deployment } = await standIn.createSelfHosted();
    const project = makeProject();
    writeConvexFolder(project);
    // The provision host still points at the stand-in so that any account call would be recorded.
    const env = { ...baseEnv(home), CONVEX_PROVISION_HOST: standIn.provisionHost, CONVEX_SELF_HOSTED_URL: url, CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey };
    const from = standIn.requests.length;

    writeFileSync(path.join(project, 'vars.env'), 'WORKOS_CLIENT_ID=client_sh\n');
    const set = await runCli(project, ['env', 'set', '--from-file', 'vars.env'], env);
    expect(set.code, set.stderr).toBe(0);
    const list = await runCli(project, ['env', 'list'], env);
    expect(list.stdout).toContain('WORKOS_CLIENT_ID=client_sh');
    const push = await runCli(project, PUSH, env);
    expect(push.code, push.stderr).toBe(0);
    expect(deployment.pushes).toHaveLength(1);

    const bad = await runCli(project, ['env', 'set', 'X', '1'], { ...env, CONVEX_SELF_HOSTED_ADMIN_KEY: 'self-hosted|nope' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('BadAdminKey');

    const reqs = standIn.requests.slice(from);
    expect(reqs.filter((q) => q.kind === 'account')).toEqual([]);
    expect(reqs.every((q) => q.deployment === deployment.name)).toBe(true);
  });
});
