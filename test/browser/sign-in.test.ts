/**
 * Real-browser proof, offline: a person signs in to a freshly generated app (email magic code through
 * the shadcn form, and AuthKit's hosted page), the protected page shows them, and Convex receives a
 * valid WorkOS access token over its sync socket, also after the token expired and was refreshed.
 *
 * The app runs its own convex/ functions on the Convex stand-in (convex-test's engine), so the
 * dashboard's live `users.me` query and the WorkOS webhook (convex/http.ts) are the app's real code.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateToken, type CustomJwtProvider } from '../../src/auth/validate-token.js';
import { appFunctions } from '../helpers/app-functions.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { freePort, problemLines } from '../helpers/serve-app.js';
import { startWorld, type World } from '../helpers/world.js';
import type { Deployment } from '../world/convex/index.js';

// test/run installs it there when missing; CHROMIUM_PATH points elsewhere.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Short-lived access tokens, so the test sees them expire and get replaced. Not shorter: AuthKit's
// client refreshes a token at once when it has 60 s or less left, so a lifetime under a minute makes
// it refresh in a tight loop (and race its own single-use refresh tokens).
const TOKEN_TTL = 65;
const shots = path.join(repoRoot, 'test-results', 'browser');

let world: World;
let app: string;
let deployment: Deployment;
let base: string;
let next: ChildProcess | undefined;
/** Everything `next start` printed. */
let out = '';
let browser: Browser | undefined;
let functions: Awaited<ReturnType<typeof appFunctions>> | undefined;
const contexts: BrowserContext[] = [];

async function waitForHttp(url: string, timeoutMs: number, output: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (next?.exitCode !== null && next?.exitCode !== undefined) throw new Error(`next start exited:\n${output()}`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

/** The sync socket's judgement of User tokens for one WorkOS user. */
const userAuths = (sub: string) => deployment.authChecks.filter((c) => c.tokenType === 'User' && c.claims?.sub === sub);
const jwks = async () => (await fetch(world.workos.jwksUrl)).json();
/** The pushed providers, as doctor's validator takes them (auth.config's default algorithm is RS256). */
const doctorProviders = (name: string): CustomJwtProvider[] =>
  world.convex.authProviders(name).map((p) => ({ ...p, algorithm: p.algorithm ?? 'RS256' }));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'ignore', timeout: 5 * 60_000 });
  }
  await fs.ensureDir(shots);
  world = await startWorld({ workos: { accessTokenTtlSeconds: TOKEN_TTL } });
  app = await preparedApp(world, 'browser-app');
  const run = await runCli(['browser-app', '--yes'], { cwd: path.dirname(app), env: world.env(), timeoutMs: 8 * 60_000 });
  expect(run.exitCode, run.all).toBe(0);
  deployment = world.convex.state.deployments.find((d) => d.pushes.length > 0 && d.env.WORKOS_CLIENT_ID === world.workos.clientId)!;
  expect(deployment).toBeDefined();

  // The app runs on a free port: its redirect URI follows (and is registered, as the CLI did for :3000).
  const port = await freePort();
  base = `http://localhost:${port}`;
  const redirectUri = `${base}/callback`;
  world.workos.state.redirectUris.push(redirectUri);
  // "Sign out" returns to the app's home page: a Logout redirect the user adds in the dashboard (next steps say so).
  world.workos.addLogoutUri(`${base}/`);
  const appEnv = {
    ...world.workos.sdkEnv(),
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: redirectUri,
    NEXT_TELEMETRY_DISABLED: '1',
    CI: 'true',
    // vitest sets NODE_ENV=test, and Next.js skips .env.local in the test environment.
    NODE_ENV: 'production',
  };
  const build = await execa('npx', ['next', 'build'], { cwd: app, env: appEnv, all: true, reject: false, timeout: 5 * 60_000 });
  expect(build.exitCode, build.all).toBe(0);

  // Convex serves the app's own functions, with the deployment's environment variables.
  functions = await appFunctions(app, deployment.env);
  world.convex.serveFunctions(deployment.name, functions);

  next = spawn(process.execPath, [path.join(app, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port)], {
    cwd: app,
    env: { ...process.env, ...appEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  next.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  next.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  if (process.env.DEBUG_BROWSER) {
    next.stdout?.on('data', (b: Buffer) => process.stdout.write(`[next] ${b}`));
    next.stderr?.on('data', (b: Buffer) => process.stdout.write(`[next] ${b}`));
  }
  await waitForHttp(`${base}/`, 60_000, () => out);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 12 * 60_000);

afterAll(async () => {
  // What the sync socket saw, for reading after a failure (tokens shortened).
  if (deployment) {
    const short = (v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 12)}…${v.slice(-8)}` : v);
    // The CLI's connections (admin key) read env vars: leave them out, they carry secrets.
    const admin = new Set(deployment.syncMessages.filter((m) => m.message.tokenType === 'Admin').map((m) => m.connection));
    const log = deployment.syncMessages
      .filter((m) => !admin.has(m.connection))
      .map((m) => ({ ...m, message: { ...m.message, value: short(m.message.value) } }));
    const checks = deployment.authChecks.map((c) => ({ ...c, token: short(c.token) }));
    await fs.writeJson(path.join(shots, 'sync-log.json'), { connections: deployment.syncConnections, authChecks: checks, messages: log }, { spaces: 1 }).catch(() => {});
  }
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  if (next?.pid && next.exitCode === null) {
    try {
      process.kill(-next.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-next.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  functions?.dispose();
  await world?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 1024, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  if (process.env.DEBUG_BROWSER) {
    page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
    page.on('framenavigated', (f) => f === page.mainFrame() && console.log(`[nav] ${f.url()}`));
  }
  return page;
}

describe('signing in to the generated app in a real browser', () => {
  let hostedPage: Page;
  let hostedUserId: string;

  it('1. a signed-out visit to /dashboard is sent to sign in', async () => {
    const page = await newPage();
    await page.goto(`${base}/dashboard`);
    // The proxy sends signed-out visitors straight to AuthKit's hosted sign-in.
    await page.waitForURL((u) => u.href.startsWith(`${world.workos.origin}/user_management/authorize`) || u.pathname === '/sign-in');
    await expect.poll(() => page.locator('input[name=email]').count()).toBeGreaterThan(0);
    expect(page.url()).not.toContain('/dashboard?');
    await shot(page, '1-signed-out-redirect');
    await page.context().close();
  });

  it('2. email magic code through the /sign-in form; the session survives a reload', async () => {
    const email = 'ada@example.com';
    const page = await newPage();
    await page.goto(`${base}/sign-in`);
    await page.locator('input#email').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
    await page.locator('input#code').waitFor();
    const code = world.workos.state.magicCodes.filter((c) => c.email === email).at(-1)?.code;
    expect(code).toMatch(/^\d{6}$/);
    await page.locator('input#code').fill(code!);
    await page.getByRole('button', { name: 'Verify code' }).click();
    await page.waitForURL(`${base}/dashboard`);
    await expect.poll(() => page.getByText(`(${email})`).count()).toBe(1);
    // Convex knows the user too (live users.me, authenticated by the token).
    const user = world.workos.state.users.find((u) => u.email === email)!;
    await shot(page, '2-magic-code-dashboard');
    await page.getByText(user.id).waitFor();
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await expect.poll(() => page.getByText(`(${email})`).count()).toBe(1);
    await page.getByText(user.id).waitFor();
    await shot(page, '2-magic-code-after-reload');
    await page.context().close();
  });

  it('3. the hosted AuthKit button signs in too; the webhook syncs the profile into the live query', async () => {
    const email = 'grace@example.com';
    const page = await newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: 'Continue with AuthKit' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${world.workos.origin}/user_management/authorize`));
    await shot(page, '3-hosted-sign-in');
    await page.locator('input[name=email]').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/dashboard`);
    await expect.poll(() => page.getByText(`(${email})`).count()).toBe(1);
    const user = world.workos.state.users.find((u) => u.email === email)!;
    hostedUserId = user.id;
    await page.getByText(user.id).waitFor();
    await page.getByText('has not been synced to Convex yet').waitFor();

    // WorkOS delivers user.created to the app's webhook (convex/http.ts on the site origin):
    // the row lands in the users table and the open page updates without a reload.
    const res = await world.workos.deliverWebhook(`${deployment.siteUrl}/workos/webhook`, { event: 'user.created', data: user });
    expect(res.status, await res.text()).toBe(200);
    await page.locator('dd', { hasText: email }).waitFor();
    await shot(page, '3-hosted-dashboard-synced');
    hostedPage = page;
  });

  it('4. the sync socket got a User token that validates against the generated auth.config', async () => {
    const checks = userAuths(hostedUserId);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((c) => c.ok)).toBe(true);
    // Independently of the stand-in's verdict: the token itself, against the pushed auth.config.
    // The stand-in judged it with its own rules (test/world/convex/token-judge.ts); doctor's validator
    // must agree, on the same token and the same pushed providers.
    const providers = doctorProviders(deployment.name);
    expect(providers.map((p) => p.issuer)).toContain(`https://api.workos.com/user_management/${world.workos.clientId}`);
    const keys = await jwks();
    const check = await validateToken(checks.at(-1)!.token!, providers, { jwks: async () => keys, now: Math.floor(checks.at(-1)!.at / 1000) });
    expect(check.ok, check.ok ? '' : check.message).toBe(true);
    // The server acknowledged it (identity version raised) and the client shows the signed-in state.
    const ack = deployment.syncMessages.find(
      (m) => m.from === 'server' && m.message.type === 'Transition' && m.at >= checks[0]!.at && (m.message.endVersion as { identity: number }).identity > (m.message.startVersion as { identity: number }).identity,
    );
    expect(ack).toBeDefined();
    await expect.poll(() => hostedPage.getByText(hostedUserId).count()).toBe(1);
    await expect.poll(() => hostedPage.getByText('Convex does not see you as signed in').count()).toBe(0);
    await shot(hostedPage, '4-convex-authenticated');
  });

  it('5. past the token lifetime: fresh valid tokens, never "None", never signed out on the page', async () => {
    const page = hostedPage;
    const start = Date.now();
    const firstToken = userAuths(hostedUserId).at(-1)!;
    const firstExp = Number(firstToken.claims!.exp) * 1000;
    const until = Math.max(firstExp + 5_000, start + (TOKEN_TTL + 5) * 1000);
    while (Date.now() < until) {
      expect(new URL(page.url()).pathname).toBe('/dashboard');
      expect(await page.getByText('Convex does not see you as signed in').count()).toBe(0);
      expect(await page.getByText(hostedUserId).count()).toBe(1);
      await page.waitForTimeout(500);
    }
    await shot(page, '5-after-token-expiry');

    const checks = userAuths(hostedUserId);
    const connections = new Set(checks.map((c) => c.connection));
    // Every token the client sent was valid when sent; none expired while in use.
    expect(checks.filter((c) => !c.ok).map((c) => `${c.problem}: ${c.message}`)).toEqual([]);
    const fresh = checks.filter((c) => c.at > firstToken.at && c.token !== firstToken.token);
    expect(fresh.length, 'a fresh token after the first one').toBeGreaterThan(0);
    expect(fresh[0]!.at, 'refreshed before the first token expired').toBeLessThan(firstExp);
    expect(Number(fresh[0]!.claims!.iat)).toBeGreaterThan(Number(firstToken.claims!.iat) - 1);
    const keys = await jwks();
    const providers = doctorProviders(deployment.name);
    for (const c of fresh) {
      const v = await validateToken(c.token!, providers, { jwks: async () => keys, now: Math.floor(c.at / 1000) });
      expect(v.ok, v.ok ? '' : v.message).toBe(true);
    }
    // While signed in, the user's connections never went back to "no token".
    const none = deployment.syncMessages.filter(
      (m) => m.from === 'client' && connections.has(m.connection) && m.message.type === 'Authenticate' && m.message.tokenType !== 'User',
    );
    expect(none.map((m) => m.message)).toEqual([]);
    const authErrors = deployment.syncMessages.filter((m) => m.from === 'server' && connections.has(m.connection) && m.message.type === 'AuthError');
    expect(authErrors.map((m) => m.message)).toEqual([]);
   }, (TOKEN_TTL + 40) * 1000);

  it('6. signing out: the protected page redirects again and Convex sees no signed-in user', async () => {
    const page = hostedPage;
    const before = Date.now();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/`);
    await shot(page, '6-signed-out-home');
    await page.goto(`${base}/dashboard`);
    await page.waitForURL((u) => u.href.startsWith(`${world.workos.origin}/user_management/authorize`) || u.pathname === '/sign-in');
    await shot(page, '6-dashboard-after-sign-out');
    // The signed-in socket is gone (closed by the page), or told "None"; no User token since.
    const connections = new Set(userAuths(hostedUserId).map((c) => c.connection));
    await expect
      .poll(() =>
        [...connections].every((id) => {
          const conn = deployment.syncConnections.find((c) => c.id === id)!;
          const toldNone = deployment.syncMessages.some(
            (m) => m.connection === id && m.from === 'client' && m.at >= before && m.message.type === 'Authenticate' && m.message.tokenType === 'None',
          );
          return conn.closedAt !== undefined || toldNone;
        }),
      )
      .toBe(true);
    const laterUserTokens = deployment.authChecks.filter((c) => c.at > before + 1000 && c.tokenType === 'User' && c.claims?.sub === hostedUserId);
    expect(laterUserTokens).toEqual([]);
  });

  it('7. through all of this, the server logged no error and no warning', () => {
    expect(problemLines(out), out).toEqual([]);
  });
});
