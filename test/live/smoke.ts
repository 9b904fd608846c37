/**
 * The live smoke test: the whole scaffold against the REAL Convex and WorkOS, with a maintainer's test
 * accounts, then everything it created removed. The first thing to run before a release; never in CI.
 *
 * Needs, in the environment: WORKOS_API_KEY (an sk_test_ key: never production) and WORKOS_CLIENT_ID of
 * a WorkOS staging environment, and a Convex login (`npx convex login`, or CONVEX_OVERRIDE_ACCESS_TOKEN);
 * CONVEX_TEAM when the login has several teams. Without them it says what is missing and does nothing.
 *
 * It checks with its own calls (the WorkOS SDK, Convex's platform API, the CLI's doctor), not with the
 * product's code: a scaffold that only believes it worked fails here. The same script runs against the
 * offline world in test/e2e/live-smoke.test.ts, which is how its checks and clean-up are tested.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkOS } from '@workos-inc/node';
import dotenv from 'dotenv';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'bin/create-authkit-convex.js');

export interface SmokeResult {
  /** Why nothing ran (credentials missing), or undefined when it ran. */
  skipped?: string;
  /** Checks in order, each passed or not. */
  checks: Array<{ name: string; ok: boolean; detail?: string }>;
  /** What was removed afterwards, and what could not be. */
  cleanup: Array<{ what: string; ok: boolean; detail?: string }>;
  ok: boolean;
}

function convexToken(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CONVEX_OVERRIDE_ACCESS_TOKEN) return env.CONVEX_OVERRIDE_ACCESS_TOKEN;
  const file = path.join(env.HOME ?? os.homedir(), '.convex', 'config.json');
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { accessToken?: string }).accessToken;
  } catch {
    return undefined;
  }
}

/** What is missing for a live run, in words; undefined when it can run. */
export function missingCredentials(env: NodeJS.ProcessEnv): string | undefined {
  const missing: string[] = [];
  if (!env.WORKOS_API_KEY) missing.push('WORKOS_API_KEY (an sk_test_ key)');
  else if (!env.WORKOS_API_KEY.startsWith('sk_test_')) missing.push('WORKOS_API_KEY must be an sk_test_ key (never production)');
  if (!env.WORKOS_CLIENT_ID) missing.push('WORKOS_CLIENT_ID');
  if (!convexToken(env)) missing.push('a Convex login (`npx convex login`, or CONVEX_OVERRIDE_ACCESS_TOKEN)');
  return missing.length ? `set ${missing.join('; ')}` : undefined;
}

function run(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

export async function runSmoke(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): Promise<SmokeResult> {
  const skipped = missingCredentials(env);
  if (skipped) return { skipped, checks: [], cleanup: [], ok: false };

  const checks: SmokeResult['checks'] = [];
  const cleanup: SmokeResult['cleanup'] = [];
  const check = (name: string, ok: boolean, detail?: string) => {
    checks.push({ name, ok, detail });
    log(`${ok ? '✓' : '✗'} ${name}${detail ? `: ${detail}` : ''}`);
  };
  const workos = new WorkOS(env.WORKOS_API_KEY, {
    clientId: env.WORKOS_CLIENT_ID,
    ...(env.WORKOS_API_HOSTNAME ? { apiHostname: env.WORKOS_API_HOSTNAME } : {}),
    ...(env.WORKOS_API_PORT ? { port: Number(env.WORKOS_API_PORT) } : {}),
    ...(env.WORKOS_API_HTTPS ? { https: env.WORKOS_API_HTTPS !== 'false' } : {}),
  });
  const provisionHost = (env.CONVEX_PROVISION_HOST || 'https://api.convex.dev').replace(/\/$/, '');
  const convex = (method: string, route: string) =>
    fetch(`${provisionHost}${route}`, { method, headers: { authorization: `Bearer ${convexToken(env)}` }, signal: AbortSignal.timeout(30_000) });

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'cak-live-'));
  const name = `cak-smoke-${Date.now().toString(36)}`;
  const app = path.join(scratch, name);
  const endpointsBefore = new Set((await workos.webhooks.listWebhookEndpoints()).data.map((e) => e.id));
  try {
    const args = [name, '--yes', '--no-git', '--convex-project', name, ...(env.CONVEX_TEAM ? ['--convex-team', env.CONVEX_TEAM] : [])];
    log(`create-authkit-convex ${args.join(' ')}`);
    const created = await run(args, { cwd: scratch, env, timeoutMs: 15 * 60_000 });
    check('the scaffold finishes', created.code === 0, created.code === 0 ? undefined : `exit ${created.code}\n${created.output.slice(-3000)}`);
    if (created.code !== 0) return { checks, cleanup, ok: false };

    const local = dotenv.parse(readFileSync(path.join(app, '.env.local'), 'utf8'));
    const siteUrl = local.NEXT_PUBLIC_CONVEX_SITE_URL ?? '';
    const endpoints = (await workos.webhooks.listWebhookEndpoints()).data.filter((e) => e.endpointUrl === `${siteUrl}/workos/webhook`);
    check('one WorkOS webhook endpoint points at the deployment', endpoints.length === 1 && endpoints[0]!.status === 'enabled', `${endpoints.length} at ${siteUrl}/workos/webhook`);

    const doctor = await run(['doctor', '--json'], { cwd: app, env, timeoutMs: 5 * 60_000 });
    const report = (() => {
      try {
        return JSON.parse(doctor.output.trim().split('\n').at(-1) ?? '') as { ok: boolean; checks: Array<{ id: string; ok: boolean; cause?: string }> };
      } catch {
        return undefined;
      }
    })();
    const failedChecks = report?.checks.filter((c) => !c.ok).map((c) => `${c.id}: ${c.cause}`) ?? ['no JSON from doctor'];
    check('doctor passes every check', doctor.code === 0 && report?.ok === true, failedChecks.join('; ') || undefined);
  } finally {
    await removeAll();
  }
  return { checks, cleanup, ok: checks.every((c) => c.ok) && cleanup.every((c) => c.ok) };

  /** The ids of the projects with this name, in every team of the login (the platform API's list, page by page). */
  async function projectsNamed(projectName: string): Promise<number[]> {
    const teams = await convex('GET', '/api/teams');
    if (!teams.ok) throw new Error(`listing teams answered ${teams.status}`);
    const ids: number[] = [];
    for (const team of (await teams.json()) as Array<{ id: number }>) {
      let cursor: string | null = null;
      do {
        const page = await convex('GET', `/v1/teams/${team.id}/projects${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
        if (!page.ok) throw new Error(`listing projects answered ${page.status}`);
        const body = (await page.json()) as { items: Array<{ id: number; name: string }>; pagination: { hasMore: boolean; nextCursor?: string | null } };
        ids.push(...body.items.filter((p) => p.name === projectName).map((p) => p.id));
        cursor = body.pagination.hasMore ? (body.pagination.nextCursor ?? null) : null;
      } while (cursor);
    }
    return ids;
  }

  /** Everything the run created: the webhook endpoints that were not there before, the Convex project, the folder. */
  async function removeAll() {
    const step = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
        cleanup.push({ what, ok: true });
        log(`removed ${what}`);
      } catch (error) {
        cleanup.push({ what, ok: false, detail: (error as Error).message });
        log(`could NOT remove ${what}: ${(error as Error).message} (remove it by hand)`);
      }
    };
    const added = (await workos.webhooks.listWebhookEndpoints()).data.filter((e) => !endpointsBefore.has(e.id));
    for (const e of added) await step(`WorkOS webhook endpoint ${e.endpointUrl}`, () => workos.webhooks.deleteWebhookEndpoint({ id: e.id }));
    // Found by its name (unique to this run), so a run that failed before writing .env.local is cleaned too.
    const projects = await projectsNamed(name).catch((error: Error) => {
      cleanup.push({ what: `Convex project ${name}`, ok: false, detail: `could not list projects: ${error.message}` });
      return [];
    });
    for (const id of projects) {
      await step(`Convex project ${name} (${id})`, async () => {
        const deleted = await convex('POST', `/v1/projects/${id}/delete`);
        if (!deleted.ok) throw new Error(`deleting it answered ${deleted.status}`);
      });
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

// `npm run test:live`
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runSmoke(process.env, (line) => process.stdout.write(`${line}\n`));
  if (result.skipped) {
    process.stdout.write(`live smoke test skipped: ${result.skipped}.\n`);
    process.exit(0);
  }
  process.stdout.write(result.ok ? 'live smoke test passed.\n' : 'live smoke test FAILED.\n');
  process.exit(result.ok ? 0 : 1);
}
