/**
 * Real-browser proof, offline: a person signs in to a freshly generated app (email magic code through
 * the shadcn form, and AuthKit's hosted page), the protected page shows them, and Convex receives a
 * valid WorkOS access token over its sync socket, also after the token expired and was refreshed.
 * The app is made with --sso: Google and SSO sign-in go through its own OAuth flow (state + PKCE),
 * and callbacks that do not belong to the browser are refused.
 *
 * The app runs its own convex/ functions on the Convex stand-in (convex-test's engine), so the
 * dashboard's live `users.me` query and the WorkOS webhook (convex/http.ts) are the app's real code.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { WorkOS } from '@workos-inc/node';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateToken, type CustomJwtProvider } from '../../src/auth/validate-token.js';
import { appFunctions } from '../helpers/app-functions.js';
import { signInWithMagicCode } from '../helpers/browser.js';
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
  // With SSO: its form is on the same sign-in page, and its scenarios share this one build (organizations too).
  const run = await runCli(['browser-app', '--yes', '--sso', '--organizations'], { cwd: path.dirname(app), env: world.env(), timeoutMs: 8 * 60_000 });
  expect(run.exitCode, run.all).toBe(0);
  deployment = world.convex.state.deployments.find((d) => d.pushes.length > 0 && d.env.WORKOS_CLIENT_ID === world.workos.clientId)!;
  expect(deployment).toBeDefined();

  // The app runs on a free port: its redirect URI follows (and is registered, as the CLI did for :3000).
  const port = await freePort();
  base = `http://localhost:${port}`;
  const redirectUri = `${base}/callback`;
  // Google and SSO come back to /callback/oauth on the same origin (registered by the CLI for :3000 too).
  world.workos.state.redirectUris.push(redirectUri, `${base}/callback/oauth`);
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
    await page.locator('dd:visible', { hasText: email }).waitFor();
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

describe('Google and SSO sign-in through the app\'s own OAuth flow (state + PKCE)', () => {
  const oauthCallback = () => `${base}/callback/oauth`;
  /** The stand-in's authorize requests (GET) for this redirect URI, newest last. */
  const authorizeRequests = () =>
    world.workos.requests.filter((r) => r.method === 'GET' && r.path === '/user_management/authorize' && r.query?.redirect_uri === oauthCallback());
  /** Code exchanges (grant authorization_code) that named this code. */
  const exchangesOf = (code: string) =>
    world.workos.requests.filter(
      (r) => r.path === '/user_management/authenticate' && (r.body as Record<string, unknown> | undefined)?.code === code,
    );
  const sessionCookie = async (page: Page) => (await page.context().cookies(base)).find((c) => c.name === 'wos-session');

  /** PKCE (S256) and a state in the authorize request: what RFC 7636 and OAuth's CSRF rule ask. */
  function expectStateAndPkce(query: Record<string, string> | undefined) {
    expect(query?.code_challenge_method).toBe('S256');
    expect(query?.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query?.state?.length ?? 0).toBeGreaterThanOrEqual(32);
  }

  /**
   * Starts Google in a fresh browser, signs in at the stand-in's Google page, and holds the redirect
   * back to the app: the callback URL (with a real, unused code) is returned, never visited.
   */
  async function heldGoogleCallback(email: string, tab?: Page): Promise<{ page: Page; callback: URL }> {
    // `tab`: another tab of a browser already in use (its cookies shared).
    const page = tab ?? (await newPage());
    let held: string | undefined;
    await page.route(`${world.workos.origin}/user_management/authorize`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const res = await route.fetch({ maxRedirects: 0 });
      held = res.headers().location;
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p id="held">held</p>' });
    });
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: 'Continue with Google' }).click();
    await page.getByRole('heading', { name: 'Sign in with Google' }).waitFor();
    await page.locator('input[name=email]').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#held').waitFor();
    await page.unroute(`${world.workos.origin}/user_management/authorize`);
    expect(held).toBeDefined();
    const callback = new URL(held!);
    expect(`${callback.origin}${callback.pathname}`).toBe(oauthCallback());
    expect(callback.searchParams.get('code')).toBeTruthy();
    return { page, callback };
  }

  it('G1. "Continue with Google": authorize gets state and an S256 challenge, the verifier redeems the code, dashboard and Convex see the user', async () => {
    const email = 'lin@gmail.example';
    const page = await newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: 'Continue with Google' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${world.workos.origin}/user_management/authorize`));
    // The stand-in's Google page: the app asked for the GoogleOAuth provider, not the hosted page.
    await page.getByRole('heading', { name: 'Sign in with Google' }).waitFor();
    const authorize = authorizeRequests().at(-1);
    expect(authorize?.query?.provider).toBe('GoogleOAuth');
    expect(authorize?.query?.client_id).toBe(world.workos.clientId);
    expectStateAndPkce(authorize?.query);
    // The state and verifier live in an httpOnly cookie only /callback/oauth receives.
    const flow = (await page.context().cookies(oauthCallback())).find((c) => c.name.startsWith('oauth-flow-'));
    expect(flow?.httpOnly).toBe(true);
    expect(flow?.path).toBe('/callback/oauth');
    await shot(page, 'g1-google-page');
    const before = world.workos.requests.length;
    await page.locator('input[name=email]').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/dashboard`);

    // One code exchange, with a verifier (the stand-in checked SHA-256(verifier) against the challenge).
    const exchanges = world.workos.requests.slice(before).filter((r) => r.path === '/user_management/authenticate');
    expect(exchanges.map((r) => (r.body as Record<string, unknown>).grant_type)).toEqual(['authorization_code']);
    expect((exchanges[0]!.body as Record<string, unknown>).code_verifier).toBe('[redacted]');
    const user = world.workos.state.users.find((u) => u.email === email)!;
    const session = world.workos.state.events.find((e) => e.event === 'session.created' && (e.data as { user_id: string }).user_id === user.id);
    expect((session?.data as { auth_method: string }).auth_method).toBe('oauth');
    // Signed in on the page, and Convex sees the user through the token.
    await expect.poll(() => page.getByText(`(${email})`).count()).toBe(1);
    await page.getByText(user.id).waitFor();
    expect(await page.getByText('Convex does not see you as signed in').count()).toBe(0);
    await expect.poll(() => userAuths(user.id).some((c) => c.ok)).toBe(true);
    expect(await sessionCookie(page)).toBeDefined();
    // The flow cookie is spent.
    expect((await page.context().cookies(oauthCallback())).some((c) => c.name.startsWith('oauth-flow-'))).toBe(false);
    await shot(page, 'g1-google-dashboard');
    await page.context().close();
  });

  it('G2. "Sign in with SSO": the email\'s verified domain picks the organization, its connection signs in, the session carries the organization', async () => {
    const org = world.workos.addOrganization({ name: 'Initech', domains: ['initech.example'] });
    const connection = world.workos.addConnection({ organization_id: org.id, name: 'Initech Okta', connection_type: 'OktaSAML' });
    // Another organization merely claims the domain (pending): it must not be chosen, nor make it ambiguous.
    const claimant = world.workos.addOrganization({ name: 'Claims Initech', domains: ['initech.example'] });
    claimant.domains[0]!.state = 'pending';
    const email = 'peter@initech.example';
    const page = await newPage();
    await page.goto(`${base}/sign-in`);
    await page.locator('input#sso-email').fill(email);
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    // The stand-in's identity provider for that connection.
    await page.getByRole('heading', { name: `${connection.name}: single sign-on for ${org.name}` }).waitFor();
    const authorize = authorizeRequests().at(-1);
    expect(authorize?.query?.organization_id).toBe(org.id);
    expect(authorize?.query?.provider).toBeUndefined();
    expectStateAndPkce(authorize?.query);
    await shot(page, 'g2-sso-idp');
    await page.locator('input[name=email]').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/dashboard`);
    const user = world.workos.state.users.find((u) => u.email === email)!;
    await expect.poll(() => page.getByText(`(${email})`).count()).toBe(1);
    // Convex's users.me shows the token's organization: the SSO organization.
    await page.locator('dd:visible', { hasText: org.id }).waitFor();
    await page.getByText(user.id).waitFor();
    const auths = userAuths(user.id).filter((c) => c.ok);
    expect(auths.length).toBeGreaterThan(0);
    expect(auths.at(-1)!.claims?.org_id).toBe(org.id);
    const session = world.workos.state.events.find((e) => e.event === 'session.created' && (e.data as { user_id: string }).user_id === user.id);
    expect((session?.data as { auth_method: string }).auth_method).toBe('sso');
    await shot(page, 'g2-sso-dashboard');
    await page.context().close();
  });

  it('G3. a callback whose state does not match the flow cookie is refused: no code exchange, no session', async () => {
    const { page, callback } = await heldGoogleCallback('mallory@gmail.example');
    const code = callback.searchParams.get('code')!;
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'wrong-state');
    await page.goto(wrong.toString());
    await page.waitForURL((u) => u.pathname === '/sign-in' || u.pathname === '/dashboard');
    expect(new URL(page.url()).pathname, 'refused, not signed in').toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('error')).toBe('oauth_state_mismatch');
    await page.getByRole('alert').filter({ hasText: 'already used or has expired' }).waitFor();
    expect(exchangesOf(code)).toEqual([]);
    expect(await sessionCookie(page)).toBeUndefined();
    await page.goto(`${base}/dashboard`);
    await page.waitForURL((u) => u.href.startsWith(`${world.workos.origin}/user_management/authorize`) || u.pathname === '/sign-in');
    await shot(page, 'g3-wrong-state');
    await page.context().close();
  });

  it('G4. a callback in a browser without the flow cookie is refused, even with the right state; the code stays good for its own browser', async () => {
    const { page: victim, callback } = await heldGoogleCallback('victim@gmail.example');
    const code = callback.searchParams.get('code')!;
    // Another browser (login CSRF: an attacker's code pushed into someone else's browser).
    const other = await newPage();
    await other.goto(callback.toString());
    await other.waitForURL((u) => u.pathname === '/sign-in' || u.pathname === '/dashboard');
    expect(new URL(other.url()).pathname, 'refused, not signed in').toBe('/sign-in');
    expect(new URL(other.url()).searchParams.get('error')).toBe('oauth_state_mismatch');
    expect(exchangesOf(code)).toEqual([]);
    expect(await sessionCookie(other)).toBeUndefined();
    // And with a wrong state too.
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'wrong-state');
    await other.goto(wrong.toString());
    await other.waitForURL((u) => (u.pathname === '/sign-in' && u.searchParams.get('error') === 'oauth_state_mismatch') || u.pathname === '/dashboard');
    expect(new URL(other.url()).pathname, 'refused, not signed in').toBe('/sign-in');
    expect(exchangesOf(code)).toEqual([]);
    expect(await sessionCookie(other)).toBeUndefined();
    await other.context().close();
    // The refusals were about the browser, not the code: the browser that started the flow completes it.
    await victim.goto(callback.toString());
    await victim.waitForURL(`${base}/dashboard`);
    expect(exchangesOf(code)).toHaveLength(1);
    expect(await sessionCookie(victim)).toBeDefined();
    await victim.context().close();
  });

  it('G5. two Google sign-ins started in two tabs of one browser both complete: each flow has its own cookie', async () => {
    const first = await heldGoogleCallback('tab-one@gmail.example');
    const second = await heldGoogleCallback('tab-two@gmail.example', await first.page.context().newPage());
    const flows = (await first.page.context().cookies(oauthCallback())).filter((c) => c.name.startsWith('oauth-flow-'));
    expect(flows).toHaveLength(2);
    // The flow started first is not overwritten by the second.
    await first.page.goto(first.callback.toString());
    await first.page.waitForURL((u) => u.pathname === '/dashboard' || u.pathname === '/sign-in');
    expect(new URL(first.page.url()).pathname).toBe('/dashboard');
    expect(exchangesOf(first.callback.searchParams.get('code')!)).toHaveLength(1);
    await second.page.goto(second.callback.toString());
    await second.page.waitForURL((u) => u.pathname === '/dashboard' || u.pathname === '/sign-in');
    expect(new URL(second.page.url()).pathname).toBe('/dashboard');
    await expect.poll(() => second.page.getByText('(tab-two@gmail.example)').count()).toBe(1);
    // Each callback spent only its own cookie.
    expect((await first.page.context().cookies(oauthCallback())).filter((c) => c.name.startsWith('oauth-flow-'))).toEqual([]);
    await first.page.context().close();
  });

  it('G6. the server logged no error and no warning', () => {
    expect(problemLines(out), out).toEqual([]);
  });
});

describe('Convex auth on page loads and failed refreshes (issue 14: no rotation per load, no stuck signed-out state)', () => {
  const refreshCalls = () =>
    world.workos.requests.filter((r) => r.path === '/user_management/authenticate' && (r.body as Record<string, unknown> | undefined)?.grant_type === 'refresh_token').length;
  const convexSaysSignedOut = (page: Page) => page.getByText('Convex does not see you as signed in').count();

  it('P1. an ordinary page load spends no refresh token, and the preloaded page has the user in its HTML (figures in bench.json)', async () => {
    const email = 'bench@example.com';
    const page = await newPage();
    await signInWithMagicCode(page, base, world, email);
    const user = world.workos.state.users.find((u) => u.email === email)!;
    await page.locator('dd:visible', { hasText: user.id }).waitFor();
    const loads: Array<{ page: string; msToConvexData: number; refreshes: number; userInHtml?: boolean }> = [];
    for (const target of ['/dashboard', '/dashboard', '/dashboard/server']) {
      const before = refreshCalls();
      const start = Date.now();
      const res = await page.goto(`${base}${target}`);
      await page.locator('dd:visible', { hasText: user.id }).waitFor();
      const msToConvexData = Date.now() - start;
      // Long enough for the client to have settled (Convex confirms the token, then would replace it).
      await page.waitForTimeout(2_500);
      expect(await convexSaysSignedOut(page)).toBe(0);
      const load = { page: target, msToConvexData, refreshes: refreshCalls() - before };
      loads.push(target === '/dashboard/server' ? { ...load, userInHtml: (await res!.text()).includes(user.id) } : load);
    }
    await fs.writeJson(path.join(shots, 'bench.json'), { loads }, { spaces: 1 });
    console.log(`page loads: ${JSON.stringify(loads)}`);
    expect(loads.map((l) => l.refreshes)).toEqual([0, 0, 0]);
    // Server-preloaded: the user's Convex data is in the first render (the HTML), not fetched after.
    expect(loads.at(-1)!.userInHtml).toBe(true);
    await page.context().close();
  });

  it('P2. refreshes fail for a while in two tabs: Convex drops to signed out, then recovers in both without a reload', async () => {
    const email = 'two-tabs@example.com';
    const first = await newPage();
    await signInWithMagicCode(first, base, world, email);
    const user = world.workos.state.users.find((u) => u.email === email)!;
    const second = await first.context().newPage();
    await second.goto(`${base}/dashboard`);
    const tabs = [first, second];
    for (const tab of tabs) {
      await tab.locator('dd:visible', { hasText: user.id }).waitFor();
      // Gone if the page reloads.
      await tab.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    }
    // Every refresh is refused (as when another tab spent the single-use token), until cleared.
    const fault = world.workos.failGrant('refresh_token', { times: Infinity });
    try {
      // Convex replaces the token shortly before it expires: that forced refresh fails in both tabs.
      for (const tab of tabs) await expect.poll(() => convexSaysSignedOut(tab), { timeout: (TOKEN_TTL + 10) * 1000, interval: 250 }).toBe(1);
    } finally {
      world.workos.clearFaults();
    }
    expect(fault.taken ?? 0).toBeGreaterThanOrEqual(2);
    await shot(second, 'p2-refresh-failed');
    // The refresh endpoint works again: both tabs get a token and Convex sees the user, no reload.
    for (const tab of tabs) {
      await tab.locator('dd:visible', { hasText: user.id }).waitFor({ timeout: 30_000 });
      expect(await convexSaysSignedOut(tab)).toBe(0);
      expect(await tab.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
      expect(new URL(tab.url()).pathname).toBe('/dashboard');
    }
    await shot(second, 'p2-recovered');
    await first.context().close();
  }, (TOKEN_TTL + 60) * 1000);

  it('P3. the server saw a session but the page gets no token: Convex does not wait forever, and signs in once a token comes', async () => {
    const email = 'no-token@example.com';
    const page = await newPage();
    await signInWithMagicCode(page, base, world, email);
    const user = world.workos.state.users.find((u) => u.email === email)!;
    await page.locator('dd:visible', { hasText: user.id }).waitFor();
    // The next load of the dashboard gets no token: the eager token cookie is gone before the
    // page's scripts run, and every server action (AuthKit's token and refresh actions) fails to connect.
    await page.addInitScript(() => {
      document.cookie = 'workos-access-token=; Max-Age=0; path=/';
    });
    const blocked = (route: import('playwright-core').Route) => (route.request().headers()['next-action'] ? route.abort('connectionrefused') : route.fallback());
    await page.route(`${base}/**`, blocked);
    await page.goto(`${base}/dashboard`);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    // Not "Loading…" forever: Convex answers, as signed out.
    await expect
      .poll(() => convexSaysSignedOut(page), { timeout: 20_000 })
      .toBe(1)
      .catch(async (e: unknown) => {
        await shot(page, 'p3-no-token-failed');
        throw e;
      });
    await shot(page, 'p3-no-token');
    // The token actions work again: the page signs in to Convex by itself, without a reload.
    await page.unroute(`${base}/**`, blocked);
    await page.locator('dd:visible', { hasText: user.id }).waitFor({ timeout: 30_000 });
    expect(await convexSaysSignedOut(page)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    await page.context().close();
  });

  it('P4. a token Convex already sees as expired on the server (preloadQuery): the session is refreshed once and the page renders', async () => {
    const email = 'skewed@example.com';
    const page = await newPage();
    await signInWithMagicCode(page, base, world, email);
    const user = world.workos.state.users.find((u) => u.email === email)!;
    await page.locator('dd:visible', { hasText: user.id }).waitFor();
    await page.goto('about:blank');
    // Convex's clock runs ahead of the app's: by its clock the session's token expired 3 s ago,
    // while the app still sees it valid for most of a minute. Once the token is 12 s old, a fresh
    // one is still valid by Convex's clock (for about 9 s).
    const { exp, iat } = userAuths(user.id).at(-1)!.claims! as { exp: number; iat: number };
    await page.waitForTimeout(Math.max(0, (iat + 12) * 1000 - Date.now()));
    deployment.httpClockAheadSeconds = exp - Date.now() / 1000 + 3;
    const before = refreshCalls();
    const httpChecks = () => deployment.authChecks.filter((c) => c.connection === 0 && c.claims?.sub === user.id);
    try {
      await page.goto(`${base}/dashboard/server`);
      await page.locator('dd:visible', { hasText: user.id }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/dashboard/server');
      // Refused once, then the refreshed token (valid even by Convex's clock) was accepted.
      expect(httpChecks().map((c) => c.ok)).toEqual([false, true]);
      expect(refreshCalls() - before).toBeGreaterThanOrEqual(1);
      await shot(page, 'p4-preloaded-after-refresh');
    } finally {
      deployment.httpClockAheadSeconds = 0;
    }
    await page.context().close();
  });

  it('P5. the server logged no error', () => {
    // Only the refusals P2 asked for (AuthKit's server action logs each failed refresh).
    const expected = /Failed to refresh access token|Error Description: Invalid refresh token/;
    expect(problemLines(out).filter((l) => !expected.test(l)), out).toEqual([]);
  });
});

describe('organization selection during sign-in (issue 14 item 14)', () => {
  it('O1. a member of two organizations signs in with a magic code, picks one, and Convex sees that organization', async () => {
    const email = 'two-orgs@example.com';
    const user = world.workos.addUser({ email });
    const alpha = world.workos.addOrganization({ name: 'Alpha Works' });
    const beta = world.workos.addOrganization({ name: 'Beta Labs' });
    world.workos.addMembership({ user_id: user.id, organization_id: alpha.id });
    world.workos.addMembership({ user_id: user.id, organization_id: beta.id });
    world.workos.requireOrganizationSelection(true);
    try {
      const page = await newPage();
      await page.goto(`${base}/sign-in`);
      await page.locator('input#email').fill(email);
      await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
      await page.locator('input#code').waitFor();
      const code = world.workos.state.magicCodes.filter((c) => c.email === email).at(-1)!.code;
      await page.locator('input#code').fill(code);
      await page.getByRole('button', { name: 'Verify code' }).click();
      // WorkOS answered organization_selection_required: the user chooses.
      await page.waitForURL(`${base}/sign-in/organization`);
      await page.getByRole('button', { name: 'Alpha Works' }).waitFor();
      await shot(page, 'o1-choose-organization');
      const before = world.workos.requests.length;
      await page.getByRole('button', { name: 'Beta Labs' }).click();
      await page.waitForURL(`${base}/dashboard`);
      const selections = world.workos.requests
        .slice(before)
        .filter((r) => (r.body as Record<string, unknown> | undefined)?.grant_type === 'urn:workos:oauth:grant-type:organization-selection');
      expect(selections.map((r) => (r.body as Record<string, unknown>).organization_id)).toEqual([beta.id]);
      // Convex's users.me shows the chosen organization, from the token's org_id.
      await page.locator('dd:visible', { hasText: beta.id }).waitFor();
      const auths = userAuths(user.id).filter((c) => c.ok);
      expect(auths.at(-1)!.claims?.org_id).toBe(beta.id);
      // The pending sign-in is spent: its cookie is gone.
      expect((await page.context().cookies(`${base}/sign-in/organization`)).some((c) => c.name === 'organization-selection')).toBe(false);
      await shot(page, 'o1-dashboard');
      await page.context().close();
    } finally {
      world.workos.requireOrganizationSelection(false);
    }
  });
});

describe('organizations: switching, organization-scoped projects, permissions', () => {
  // What the server logged before (e.g. the refusals P2 asked for) is judged by those scenarios.
  let since = 0;
  beforeAll(() => {
    since = out.length;
  });

  it('T1. a member of two organizations switches without a reload and sees each one\'s projects; as a viewer, create is disabled and the mutation refused', async () => {
    const { workos } = world;
    const email = 'olga@example.com';
    const user = workos.addUser({ email });
    const acme = workos.addOrganization({ name: 'Acme' });
    const borealis = workos.addOrganization({ name: 'Borealis' });
    const admin = workos.addMembership({ user_id: user.id, organization_id: acme.id, role: 'admin' });
    const viewer = workos.addMembership({ user_id: user.id, organization_id: borealis.id, role: 'viewer' });
    // WorkOS delivers the events to the app's webhook: Convex has the organizations and memberships.
    for (const [event, data] of [
      ['user.created', user],
      ['organization.created', acme],
      ['organization.created', borealis],
      ['organization_membership.created', admin],
      ['organization_membership.created', viewer],
    ] as const) {
      const res = await workos.deliverWebhook(`${deployment.siteUrl}/workos/webhook`, { event, data });
      expect(res.status, `${event}: ${await res.text()}`).toBe(200);
    }

    const page = await newPage();
    await page.goto(`${base}/sign-in`);
    await page.locator('input#email').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
    await page.locator('input#code').waitFor();
    await page.locator('input#code').fill(workos.state.magicCodes.filter((c) => c.email === email).at(-1)!.code);
    await page.getByRole('button', { name: 'Verify code' }).click();
    await page.waitForURL(`${base}/dashboard`);
    await page.getByRole('link', { name: /Organizations/ }).click();
    await page.waitForURL(`${base}/dashboard/organizations`);
    // A page-load marker: a reload (or a navigation) would lose it.
    await page.evaluate(() => ((window as unknown as { sameLoad: boolean }).sameLoad = true));
    const current = page.getByTestId('current-organization');
    const sameLoad = () => page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad === true);

    await page.getByRole('button', { name: 'Acme', exact: true }).click();
    await expect.poll(() => current.textContent(), { timeout: 20_000 }).toContain('Acme (admin)');
    await page.getByLabel('Project name').fill('Apollo');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('projects').getByText('Apollo').waitFor();
    await shot(page, 'o1-acme-admin');

    await page.getByRole('button', { name: 'Borealis', exact: true }).click();
    await expect.poll(() => current.textContent(), { timeout: 20_000 }).toContain('Borealis (viewer)');
    await page.getByText('No projects yet.').waitFor();
    expect(await page.getByText('Apollo').count()).toBe(0);
    await page.getByLabel('Project name').fill('Sneaky');
    const create = page.getByRole('button', { name: 'Create', exact: true });
    expect(await create.isDisabled()).toBe(true);
    // The button is only a hint: enabled by hand, the mutation itself is refused by Convex.
    await create.evaluate((b) => ((b as HTMLButtonElement).disabled = false));
    await create.click();
    await page.getByRole('alert').filter({ hasText: 'projects:write' }).waitFor();
    await shot(page, 'o1-borealis-viewer');

    await page.getByRole('button', { name: 'Acme', exact: true }).click();
    await expect.poll(() => current.textContent(), { timeout: 20_000 }).toContain('Acme (admin)');
    await page.getByTestId('projects').getByText('Apollo').waitFor();
    expect(await page.getByText('Sneaky').count()).toBe(0);
    expect(await sameLoad()).toBe(true);
    await page.context().close();
  });

  it('I1. an invited person signs up from the invitation link and lands in the organization with its role, synced to Convex', async () => {
    const { workos } = world;
    const email = 'ivy@example.com';
    const sdk = new WorkOS(workos.apiKey, { clientId: workos.clientId, apiHostname: workos.hostname, port: workos.port, https: false });
    const from = workos.state.events.length;
    // As the app's invite form does: an organization and an invitation to it as a member.
    const cobalt = await sdk.organizations.createOrganization({ name: 'Cobalt' });
    const invitation = await sdk.userManagement.sendInvitation({ email, organizationId: cobalt.id, roleSlug: 'member' });
    /** WorkOS delivers what happened since `since` to the app's webhook (the events the sync keeps). */
    const deliver = async (since: number) => {
      const kept = ['user.created', 'organization.created', 'organization_membership.created', 'invitation.created', 'invitation.accepted'];
      for (const e of workos.state.events.slice(since).filter((x) => kept.includes(x.event))) {
        const res = await workos.deliverWebhook(`${deployment.siteUrl}/workos/webhook`, { id: e.id, event: e.event, data: e.data, created_at: e.created_at });
        expect(res.status, `${e.event}: ${await res.text()}`).toBe(200);
      }
    };
    await deliver(from);
    const signedUp = workos.state.events.length;

    // The invitation's link, with the app as the environment's invitation URL.
    const page = await newPage();
    await page.goto(`${base}/invite?invitation_token=${invitation.token}`);
    await page.waitForURL(`${base}/sign-in?invitation_token=${invitation.token}`);
    await page.locator('input#email').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
    await page.locator('input#code').waitFor();
    await page.locator('input#code').fill(workos.state.magicCodes.filter((c) => c.email === email).at(-1)!.code);
    await page.getByRole('button', { name: 'Verify code' }).click();
    await page.waitForURL(`${base}/dashboard`);
    // WorkOS accepted the invitation: a new user, a member of Cobalt with the invitation's role.
    const user = workos.state.users.find((u) => u.email === email)!;
    expect(workos.state.memberships.filter((m) => m.user_id === user.id)).toMatchObject([{ organization_id: cobalt.id, role: { slug: 'member' }, status: 'active' }]);
    expect(await sdk.userManagement.getInvitation(invitation.id)).toMatchObject({ state: 'accepted', acceptedUserId: user.id });
    await deliver(signedUp);

    // The session starts in Cobalt, and Convex (the synced membership) lets the member write its projects.
    await page.getByRole('link', { name: /Organizations/ }).click();
    await page.waitForURL(`${base}/dashboard/organizations`);
    await expect.poll(() => page.getByTestId('current-organization').textContent(), { timeout: 20_000 }).toContain('Cobalt (member)');
    await page.getByText('No projects yet.').waitFor();
    await page.getByLabel('Project name').fill('Welcome');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('projects').getByText('Welcome').waitFor();
    await shot(page, 'i1-invited-member');
    await page.context().close();
  });

  it('T2. the server logged no error and no warning', () => {
    expect(problemLines(out.slice(since)), out.slice(since)).toEqual([]);
  });
});
