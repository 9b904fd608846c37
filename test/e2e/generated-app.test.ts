/**
 * The generated app in its other feature combinations (the default one is built in scaffold.test.ts):
 * it must type-check, lint, pass its own tests and build offline. The one with every page (SSO) is
 * also served, with `next dev` and `next start`, and its pages must not make the server log a problem.
 * That one is finished by `bin/try`, the README's command for trying the CLI without an account (the
 * real CLI against an offline world of its own), so the newcomer's path costs no scaffold of its own.
 */
import path from 'node:path';
import dotenv from 'dotenv';
import { execa } from 'execa';
import fs from 'fs-extra';
import { beforeAll, describe, expect, it } from 'vitest';
import { itPassesAppChecks } from '../helpers/app-checks.js';
import { appFunctions } from '../helpers/app-functions.js';
import { submitWithoutJs } from '../helpers/form-action.js';
import { problemLines, serveApp } from '../helpers/serve-app.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { useWorld } from '../helpers/use-world.js';

const world = useWorld();

const combos = [
  // Organizations ride along (made at creation here; doctor.test.ts adds them on a rerun): their pages build and serve.
  { name: 'with-sso', flags: ['--sso', '--organizations'], features: ['base', 'webhooks', 'sso', 'organizations'], serve: true, viaTry: true },
  { name: 'no-webhooks', flags: ['--no-webhooks'], features: ['base'], serve: false, viaTry: false },
];

/**
 * What a signed-out visitor can reach: each page and the status it answers with (307: off to sign in).
 * A path that does not exist is a 404 (not a trip to sign in), with no server error.
 */
/** The magic-code action's answer in a no-JS response: the form state the page's payload carries. */
function stateIn(html: string): unknown {
  // In the first payload script, a plain object literal (`\"` where a payload string carries it).
  const raw = /\{\\?"step\\?":\\?"(?:email|code)\\?"[^}]*\}/.exec(html)?.[0];
  return raw === undefined ? undefined : JSON.parse(raw.replace(/\\"/g, '"'));
}

const pages: Array<[string, number]> = [
  ['/', 200],
  ['/sign-in', 200],
  ['/sign-in?error=callback_failed', 200],
  ['/sign-up', 307],
  ['/dashboard', 307],
  ['/dashboard/server', 307],
  ['/dashboard/organizations', 307],
  ['/no-such-page', 404],
  ['/robots.txt', 404],
  ['/missing-image.png', 404],
  ['/_next/static/chunks/missing.js', 404],
];

describe.each(combos)('generated app: $name', ({ name, flags, features, serve, viaTry }) => {
  let app: string;
  /** What bin/try printed. */
  let tried = '';
  beforeAll(async () => {
    app = await preparedApp(world(), name);
    if (viaTry) {
      const run = await execa(path.join(repoRoot, 'bin/try'), [app, ...flags], {
        cwd: path.dirname(app),
        env: { CI: 'true', npm_config_prefer_offline: 'true' },
        all: true,
        reject: false,
        stdin: 'ignore',
        timeout: 8 * 60_000,
      });
      tried = String(run.all);
      expect(run.exitCode, tried).toBe(0);
    } else {
      const run = await runCli([name, '--yes', ...flags], { cwd: path.dirname(app), env: world().env(), timeoutMs: 8 * 60_000 });
      expect(run.exitCode, run.all).toBe(0);
    }
  }, 15 * 60_000);

  if (viaTry) {
    it('bin/try says where the app is and what the stand-ins did', () => {
      expect(tried).toContain(`bin/try: ✔ the app is in ${app}`);
      expect(tried).toMatch(/✔ WorkOS: webhook endpoint \S+\/workos\/webhook/);
      expect(tried).toMatch(new RegExp(`✔ Convex: project "${name}"`));
      expect(tried).toMatch(/✔ Convex: 1 push/);
    });
  }

  it('renders exactly the chosen features', async () => {
    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.features).toEqual(features);
    expect(await fs.pathExists(path.join(app, 'convex/http.ts'))).toBe(features.includes('webhooks'));
    expect(await fs.pathExists(path.join(app, 'src/app/sign-in/sso-form.tsx'))).toBe(features.includes('sso'));
    const signIn = await fs.readFile(path.join(app, 'src/app/sign-in/page.tsx'), 'utf8');
    expect(signIn.includes('SsoForm')).toBe(features.includes('sso'));
    // bin/try runs in a world of its own, whose deployments and endpoints this test cannot see (its
    // output is checked above).
    if (viaTry) return;
    // No endpoint points at this app's deployment unless it has webhooks (other apps of the file share the world).
    const siteUrl = dotenv.parse(await fs.readFile(path.join(app, '.env.local'), 'utf8')).NEXT_PUBLIC_CONVEX_SITE_URL;
    expect(siteUrl).toMatch(/^https?:\/\//);
    const ours = world().workos.state.webhookEndpoints.filter((e) => e.endpoint_url.startsWith(siteUrl!));
    expect(ours.map((e) => e.endpoint_url)).toEqual(features.includes('webhooks') ? [`${siteUrl}/workos/webhook`] : []);
    // The API key goes to the deployment only for the functions that call WorkOS (the webhook's).
    const project = world().convex.state.projects.find((p) => p.name === name)!;
    const env = world().convex.state.deployments.find((d) => d.projectId === project.id)!.env;
    expect(Object.keys(env).filter((k) => k.startsWith('WORKOS_')).sort()).toEqual(
      features.includes('webhooks') ? ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_WEBHOOK_SECRET'] : ['WORKOS_CLIENT_ID'],
    );
  });

  it('the dashboard announces loading, names the organization, and its error page signs out before signing in again', async () => {
    const read = (rel: string) => fs.readFile(path.join(app, rel), 'utf8');
    expect(await read('src/app/sign-in/magic-code-form.tsx')).toMatch(/value="change-email"[\s\S]*Use another email/);
    expect(await read('src/app/dashboard/loading.tsx')).toContain('role="status"');
    expect(await read('src/app/dashboard/current-user.tsx')).toMatch(/role="status"[\s\S]*Loading…/);
    expect(await read('src/app/dashboard/page.tsx')).toContain('<OrganizationName organizationId={organizationId} />');
    // A link to /sign-in would come straight back here: the session is still there.
    const error = await read('src/app/dashboard/error.tsx');
    expect(error).not.toContain('href="/sign-in"');
    expect(error).toMatch(/<form action=\{signInAgain\}>[\s\S]*Sign in again/);
    expect(await read('src/app/dashboard/sign-in-again.ts')).toMatch(/await signOut\(\{ returnTo: `\$\{origin\}\/` \}\)/);
  });

  itPassesAppChecks(() => app);

  // After the build above. This app's deployment is in this file's world (bin/try's is not): its own
  // functions run there, so the throttle's counters live where the app's server reaches them.
  if (!viaTry) {
    it('the magic-code form sends three codes to one address, then says "try again in N s" and sends none; a forged OAuth callback is refused, uncached', async () => {
      const project = world().convex.state.projects.find((p) => p.name === name)!;
      const deployment = world().convex.state.deployments.find((d) => d.projectId === project.id)!;
      const functions = await appFunctions(app, deployment.env);
      world().convex.serveFunctions(deployment.name, functions);
      const server = await serveApp(app, 'start', world().workos.sdkEnv());
      try {
        const email = `throttled-${name}@example.test`;
        const sent = () => world().workos.state.magicCodes.filter((c) => c.email === email).length;
        const ask = () => submitWithoutJs(server.base, '/sign-in', 'email', { email });
        for (let i = 1; i <= 3; i++) {
          const res = await ask();
          expect(res.status, server.output()).toBe(200);
          expect(sent(), server.output()).toBe(i);
          // The action's answer (the form's new state, in the page's payload): on to the code step.
          expect(stateIn(await res.text())).toEqual({ step: 'code', email });
        }
        // "Use another email" goes back to an empty first step and sends nothing.
        const back = await submitWithoutJs(server.base, '/sign-in', 'email', { email, intent: 'change-email' });
        expect(stateIn(await back.text())).toEqual({ step: 'email', email: '' });
        expect(sent()).toBe(3);
        const refused = await ask();
        const wait = /Try again in (\d+) s\./.exec(await refused.text())?.[1];
        // The next code is due in ten minutes.
        expect(Number(wait), server.output()).toBeGreaterThan(590);
        expect(Number(wait)).toBeLessThanOrEqual(600);
        expect(sent()).toBe(3);

        const forged = await fetch(`${server.base}/callback/oauth?code=stolen&state=forged`, { redirect: 'manual' });
        expect(forged.status).toBe(307);
        expect(new URL(forged.headers.get('location')!).searchParams.get('error')).toBe('oauth_state_mismatch');
        expect(forged.headers.get('cache-control')).toMatch(/no-store/);
        const signUp = await fetch(`${server.base}/sign-up`, { redirect: 'manual' });
        expect(signUp.status).toBe(307);
        expect(signUp.headers.get('cache-control')).toMatch(/no-store/);
      } finally {
        await server.stop();
        world().convex.serveFunctions(deployment.name, null);
        functions.dispose();
      }
      expect(problemLines(server.output()), server.output()).toEqual([]);
    }, 4 * 60_000);
  }

  // After the build above (next start serves it). Next.js reports some problems only after the response
  // (dev validates each page in the background), so the pages are visited twice, with a pause.
  if (serve) {
    it.each(['start', 'dev'] as const)('next %s serves every page without logging an error or a warning', async (mode) => {
      const server = await serveApp(app, mode, world().workos.sdkEnv());
      try {
        for (let round = 0; round < 2; round++) {
          for (const [page, status] of pages) {
            const res = await fetch(server.base + page, { redirect: 'manual' });
            expect(res.status, `${page}\n${server.output()}`).toBe(status);
            if (page.includes('error=')) expect(await res.text()).toContain('role="alert"');
          }
          await new Promise((r) => setTimeout(r, 3_000));
        }
      } finally {
        await server.stop();
      }
      expect(problemLines(server.output()), server.output()).toEqual([]);
    }, 6 * 60_000);
  }

  if (features.includes('sso') && serve) {
    it('"Sign in with SSO" goes only to the one organization that verified the domain, and says the same otherwise', async () => {
      const { workos } = world();
      const verified = workos.addOrganization({ name: 'Verified Corp', domains: ['verified.test'] });
      // Claimed but never verified: it must not receive the domain's users.
      const claimed = workos.addOrganization({ name: 'Claiming Corp', domains: ['bigcorp.test'] });
      claimed.domains[0]!.state = 'pending';
      workos.addOrganization({ name: 'Twin One', domains: ['twin.test'] });
      workos.addOrganization({ name: 'Twin Two', domains: ['twin.test'] });
      // bin/try made the app against a world of its own: point it at this world's WorkOS, keys included.
      const server = await serveApp(app, 'start', { ...workos.sdkEnv(), WORKOS_API_KEY: workos.apiKey, WORKOS_CLIENT_ID: workos.clientId });
      try {
        const sso = (email: string) => submitWithoutJs(server.base, '/sign-in', 'sso-email', { email });
        const res = await sso('ada@verified.test');
        expect(res.status, server.output()).toBe(303);
        const location = new URL(res.headers.get('location')!);
        expect(location.pathname).toBe('/user_management/authorize');
        expect(location.searchParams.get('organization_id')).toBe(verified.id);

        const answers = new Set<string>();
        for (const email of ['bob@bigcorp.test', 'eve@twin.test', 'nobody@unknown.test']) {
          const refused = await sso(email);
          expect(refused.headers.get('location'), email).toBeNull();
          // The action's answer (the form's new state; the page's payload carries it to the form).
          const html = await refused.text();
          const said = /Single sign-on isn.{0,200}?administrator\./s.exec(html)?.[0];
          expect(said, `${email}: ${refused.status}`).toBeDefined();
          for (const company of ['Claiming', 'Twin', 'bigcorp', 'twin', 'unknown']) expect(said).not.toContain(company);
          answers.add(said!.replace(/&#x27;|\\u0027/g, "'"));
        }
        // The same words whoever asks: they tell nobody which companies use the app.
        expect([...answers]).toHaveLength(1);
      } finally {
        await server.stop();
      }
      expect(problemLines(server.output()), server.output()).toEqual([]);
    }, 4 * 60_000);
  }
});
