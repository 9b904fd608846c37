/**
 * README claims no other file runs end to end: the Convex team chosen at a prompt or with
 * --convex-team, --convex-project, a custom --redirect-uri, a deployment variable set outside the tool
 * (refused without a terminal, replaced after a "yes" in one), and --convex-url/--convex-admin-key given
 * as flags. Each run resumes a prepared project (helpers/prepared-app.ts), so only the Convex and
 * WorkOS steps and the push are paid for.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import dotenv from 'dotenv';
import { execa, type ResultPromise } from 'execa';
import fs from 'fs-extra';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { appFunctions } from '../helpers/app-functions.js';
import { launchChromium, signInWithMagicCode } from '../helpers/browser.js';
import { cliPath, runCli, type CliRun } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { freePort } from '../helpers/serve-app.js';
import { useWorld } from '../helpers/use-world.js';

vi.setConfig({ testTimeout: 8 * 60_000 });

const world = useWorld();

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]/g;
const DOWN = '\x1b[B';
const LEFT = '\x1b[D';

/** The CLI in a pseudo-terminal (util-linux `script`), as in prompts.test.ts: the screen so far, and keys to type. */
function inTerminal(args: string[], cwd: string, env: Record<string, string>) {
  const command = ['stty cols 160 rows 50;', 'exec', JSON.stringify(process.execPath), JSON.stringify(cliPath), ...args.map((a) => JSON.stringify(a))].join(' ');
  const child: ResultPromise = execa('script', ['-qfec', command, '/dev/null'], {
    cwd,
    env: { ...env, CI: '', TERM: 'xterm-256color' },
    extendEnv: true,
    reject: false,
    stdin: 'pipe',
  });
  let screen = '';
  let exited = false;
  void child.then(() => (exited = true));
  child.stdout!.on('data', (d: Buffer) => (screen += d.toString('utf8')));
  const text = () => screen.replace(ANSI, '');
  return {
    child,
    text,
    async waitFor(pattern: RegExp, timeoutMs = 3 * 60_000): Promise<void> {
      const started = Date.now();
      while (!pattern.test(text())) {
        if (exited || Date.now() - started > timeoutMs) throw new Error(`the screen never showed ${pattern}:\n${text()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    type: (keys: string) => void child.stdin!.write(keys),
  };
}

const expectNoSecrets = (output: string) => {
  for (const secret of world().secrets()) expect(output).not.toContain(secret);
};
const readEnvLocal = async (app: string) => dotenv.parse(await fs.readFile(path.join(app, '.env.local'), 'utf8'));

const name = 'readme-app';
const selfHosted = 'flag-self-hosted';
let app = '';
let selfHostedApp = '';
beforeAll(async () => {
  // Prepared in the one-team world (the shared base is made with --yes); then a second team joins,
  // so that without --convex-team a run must ask (or, without a terminal, stop).
  app = await preparedApp(world(), name);
  selfHostedApp = await preparedApp(world(), selfHosted);
  world().convex.teams.push({ id: 2, slug: 'globex', name: 'Globex' });
}, 10 * 60_000);

describe('the Convex team, project name and redirect URI, and a variable set outside the tool', () => {
  const project = 'Renamed Project';
  const redirectUri = 'http://localhost:4000/callback';
  const flags = ['--convex-project', project, '--redirect-uri', redirectUri];
  const deployment = () => {
    const p = world().convex.state.projects.find((x) => x.name === project)!;
    return world().convex.state.deployments.find((d) => d.projectId === p.id)!;
  };
  const run = (extra: string[] = []): Promise<CliRun> =>
    runCli([name, '--yes', ...flags, ...extra], { cwd: path.dirname(app), env: world().env(), timeoutMs: 8 * 60_000 });

  it('in a terminal, the team is asked for and the chosen one is used', async () => {
    // Stop the run right after the team is chosen: Convex refuses to create the project.
    world().convex.fail({ path: /\/create_project$/ }, { status: 400, body: { code: 'TestStop', message: 'stopped by the test' }, times: 1000 });
    const before = world().convex.requests.length;
    const t = inTerminal([name, ...flags], path.dirname(app), world().env());
    await t.waitFor(/Which Convex team should own the project\?/);
    expect(t.text()).toMatch(/Acme[\s\S]*Globex/);
    t.type(DOWN + '\r');
    const result = await t.child;
    expect(result.exitCode, t.text()).toBe(1);
    const globex = world().convex.teams.find((x) => x.slug === 'globex')!;
    const asked = world().convex.requests.slice(before).filter((r) => r.path.endsWith('/create_project')).map((r) => r.path);
    expect(asked.length, t.text()).toBeGreaterThan(0);
    for (const p of asked) expect(p).toMatch(new RegExp(`/teams/(globex|${globex.id})/create_project$`));
    expectNoSecrets(t.text());
  });

  it('--convex-team and --convex-project name the project; a variable set outside the tool is not overwritten without a terminal', async () => {
    // The environment update fails once the project exists, so the variables are not yet the tool's.
    world().convex.fail({ path: /update_environment_variables$/ }, { status: 500, body: { code: 'InternalServerError', message: 'env boom' }, times: 1000 });
    const failed = await run(['--convex-team', 'globex']);
    world().clearFaults();
    expect(failed.exitCode, failed.all).toBe(1);
    expect(world().convex.state.projects.filter((p) => p.name === project).map((p) => p.teamSlug)).toEqual(['globex']);
    expect(world().convex.state.projects.some((p) => p.name === name)).toBe(false);

    // Someone sets WORKOS_CLIENT_ID on the deployment by hand (npx convex env set).
    const theirs = 'client_01SETBYSOMEONEELSE000000';
    deployment().env.WORKOS_CLIENT_ID = theirs;
    const refused = await run(['--convex-team', 'globex']);
    expect(refused.exitCode, refused.all).toBe(2);
    expect(refused.stderr).toContain('The Convex deployment already has WORKOS_CLIENT_ID with a different value, set outside this tool.');
    expect(refused.stderr).toContain('npx convex env remove WORKOS_CLIENT_ID');
    // Nothing of this run's variables was written, and nothing pushed.
    expect(deployment().env.WORKOS_CLIENT_ID).toBe(theirs);
    expect(deployment().env.WORKOS_API_KEY).toBeUndefined();
    expect(deployment().pushes).toHaveLength(0);
    expectNoSecrets(failed.all + refused.all);
  });

  it('in a terminal, the overwrite is asked for; after "yes" the run completes with the custom redirect URI', async () => {
    expect(deployment().env.WORKOS_CLIENT_ID).toBe('client_01SETBYSOMEONEELSE000000');
    const t = inTerminal([name, ...flags], path.dirname(app), world().env());
    await t.waitFor(/Replace the deployment's existing WORKOS_CLIENT_ID\?/);
    t.type(LEFT + '\r'); // the answer starts at "No"
    const result = await t.child;
    expect(result.exitCode, t.text()).toBe(0);
    expectNoSecrets(t.text());
    expect(deployment().env.WORKOS_CLIENT_ID).toBe(world().workos.clientId);
    expect(deployment().pushes.length).toBeGreaterThan(0);

    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.convexProject).toEqual({ team: 'globex', slug: world().convex.state.projects.find((p) => p.name === project)!.slug });
    expect((await readEnvLocal(app)).NEXT_PUBLIC_WORKOS_REDIRECT_URI).toBe(redirectUri);
    const workos = world().workos.state;
    expect(workos.redirectUris).toEqual(expect.arrayContaining([redirectUri, 'http://localhost:4000/callback/oauth']));
    expect(workos.redirectUris).not.toContain('http://localhost:3000/callback');
    expect(workos.corsOrigins).toContain('http://localhost:4000');
    // doctor checks the chain against that redirect URI.
    const doctor = await runCli(['doctor'], { cwd: app, env: world().env() });
    expect(doctor.exitCode, doctor.all).toBe(0);
    expect(doctor.stdout).toContain(redirectUri);
  });
});

describe('npm run dev', () => {
  // After the project above is finished: the script the README promises starts both processes, and
  // a person signing in on the dev server sees their user from a live Convex query (users.me, with
  // the URL and token the app itself took from .env.local and WorkOS).
  it('starts next dev and convex dev together: convex dev pushes the functions, and the dashboard shows the signed-in user from Convex', async () => {
    const p = world().convex.state.projects.find((x) => x.name === 'Renamed Project')!;
    const deployment = world().convex.state.deployments.find((d) => d.projectId === p.id)!;
    const pushesBefore = deployment.pushes.length;
    // Convex runs the app's own functions (convex-test's engine) with the deployment's variables.
    const functions = await appFunctions(app, deployment.env);
    world().convex.serveFunctions(deployment.name, functions);
    const browser = await launchChromium();
    const port = await freePort();
    const base = `http://localhost:${port}`;
    let out = '';
    // Its own process group, so that stopping it stops npm, run-p, next and convex.
    const child = spawn('npm', ['run', 'dev'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', ...world().env(), PORT: String(port), NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    try {
      const until = Date.now() + 4 * 60_000;
      let page: Response | undefined;
      while (!page || deployment.pushes.length === pushesBefore) {
        expect(child.exitCode, out).toBeNull();
        expect(Date.now() < until, `npm run dev: no page or no push within 4 minutes:\n${out}`).toBe(true);
        page ??= await fetch(`${base}/sign-in`).then((r) => (r.status < 500 ? r : undefined), () => undefined);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(page.status, out).toBe(200);
      expect(await page.text()).toContain('Sign in');
      // --race: had either process stopped, the other would have been stopped with it.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(child.exitCode, out).toBeNull();
      expect(out).toMatch(/next dev/);
      expect(out).toMatch(/convex dev/);

      // Sign in on the dev server (magic code: no redirect URI involved, so the port does not matter).
      const email = 'dev-user@example.com';
      const tab = await browser.newPage();
      await signInWithMagicCode(tab, base, world(), email, 90_000);
      await expect.poll(() => tab.getByText(`(${email})`).count(), { timeout: 30_000 }).toBe(1);
      // The WorkOS user id on the page comes only from Convex's answer to users.me: the browser
      // reached the deployment in .env.local, and the deployment accepted the user's token.
      const user = world().workos.state.users.find((u) => u.email === email)!;
      await tab.locator('dd:visible', { hasText: user.id }).waitFor({ timeout: 60_000 });
      expect(await tab.getByText('Convex does not see you as signed in').count()).toBe(0);
      expect(deployment.authChecks.some((c) => c.ok && c.tokenType === 'User' && c.claims?.sub === user.id)).toBe(true);
      expect(child.exitCode, out).toBeNull();
      expectNoSecrets(out);
    } finally {
      await browser.close().catch(() => {});
      functions.dispose();
      if (child.pid && child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
});

describe('self-hosted Convex given as flags', () => {
  it('--convex-url and --convex-admin-key: no login or account call, the key only in .env.local', async () => {
    const { url, adminKey, deployment } = await world().convex.createSelfHosted();
    const accountCalls = () => world().convex.requests.filter((r) => r.kind === 'account').length;
    const before = accountCalls();
    const run = await runCli([selfHosted, '--yes', '--convex-url', url, '--convex-admin-key', adminKey], {
      cwd: path.dirname(selfHostedApp),
      env: { ...world().env(), CONVEX_OVERRIDE_ACCESS_TOKEN: '' },
      timeoutMs: 8 * 60_000,
    });
    expect(run.exitCode, run.all).toBe(0);
    expectNoSecrets(run.all);
    expect(accountCalls()).toBe(before);
    expect(deployment.pushes).toHaveLength(1);
    expect(deployment.env.WORKOS_CLIENT_ID).toBe(world().workos.clientId);
    const env = await readEnvLocal(selfHostedApp);
    expect(env.CONVEX_SELF_HOSTED_URL).toBe(url);
    expect(env.CONVEX_SELF_HOSTED_ADMIN_KEY).toBe(adminKey);
    expect(await fs.readFile(path.join(selfHostedApp, 'authkit-convex.json'), 'utf8')).not.toContain(adminKey);
  });
});
