/**
 * Adding features to a project the CLI made: no flags needed (keys from .env.local, the rest from the
 * manifest), user edits never clobbered, --dry-run changes nothing, --add-webhooks repairs a broken webhook, and a
 * rerun with nothing to do says so.
 */
import path from 'node:path';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { startWorld, type World } from '../helpers/world.js';

vi.setConfig({ testTimeout: 5 * 60_000 });

let world: World;
let app: string;
const name = 'rerun-app';

beforeAll(async () => {
  world = await startWorld();
  app = await preparedApp(world, name);
  const created = await runCli([name, '--yes', '--no-webhooks'], { cwd: path.dirname(app), env: world.env(), timeoutMs: 8 * 60_000 });
  expect(created.exitCode, created.all).toBe(0);
}, 15 * 60_000);
afterAll(async () => {
  await world?.close();
});

/** A rerun inside the project with no keys in the environment: they must come from .env.local. */
const rerun = (args: string[]) =>
  runCli(args, { cwd: app, env: { ...world.env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' }, timeoutMs: 8 * 60_000 });

const deployment = () => {
  const project = world.convex.state.projects.find((p) => p.name === name)!;
  return world.convex.state.deployments.find((d) => d.projectId === project.id)!;
};
const manifest = () => fs.readJson(path.join(app, 'authkit-convex.json'));
const endpoints = () => world.workos.state.webhookEndpoints.filter((e) => e.endpoint_url === `${deployment().siteUrl}/workos/webhook`);

describe('reruns', () => {
  it('starts without webhooks', async () => {
    expect((await manifest()).features).toEqual(['base']);
    expect(await fs.pathExists(path.join(app, 'convex/http.ts'))).toBe(false);
    expect(endpoints()).toHaveLength(0);
  });

  it('--add-webhooks --dry-run shows diffs and changes nothing', async () => {
    const readme = await fs.readFile(path.join(app, 'README.md'), 'utf8');
    const pushes = deployment().pushes.length;
    const run = await rerun(['--add-webhooks', '--dry-run']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toContain('+++ b/convex/http.ts');
    expect(run.stdout).toMatch(/^\s*@@ -\d/m);
    expect(await fs.pathExists(path.join(app, 'convex/http.ts'))).toBe(false);
    expect(await fs.readFile(path.join(app, 'README.md'), 'utf8')).toBe(readme);
    expect((await manifest()).features).toEqual(['base']);
    expect(endpoints()).toHaveLength(0);
    expect(deployment().pushes.length).toBe(pushes);
  });

  it('--add-webhooks registers the webhook, sets its secret, pushes, and keeps a user-edited file', async () => {
    const readmeFile = path.join(app, 'README.md');
    await fs.appendFile(readmeFile, '\nMy own notes.\n');
    const edited = await fs.readFile(readmeFile, 'utf8');
    const pushes = deployment().pushes.length;

    const run = await rerun(['--add-webhooks']);
    expect(run.exitCode, run.all).toBe(0);
    for (const secret of world.secrets()) expect(run.all).not.toContain(secret);

    expect(await fs.pathExists(path.join(app, 'convex/http.ts'))).toBe(true);
    expect(endpoints()).toHaveLength(1);
    expect(deployment().env.WORKOS_WEBHOOK_SECRET).toBe(endpoints()[0]!.secret);
    expect(deployment().pushes.length).toBe(pushes + 1);
    expect(deployment().pushes.at(-1)!.modules.some((m) => m.path.startsWith('http'))).toBe(true);
    expect((await manifest()).features).toEqual(['base', 'webhooks']);
    // The user's README stays; ours is beside it, and the run said so.
    expect(await fs.readFile(readmeFile, 'utf8')).toBe(edited);
    expect(await fs.readFile(`${readmeFile}.authkit-new`, 'utf8')).toMatch(/webhook/i);
    expect(run.all).toContain('README.md');
    expect(world.convex.state.projects.filter((p) => p.name === name)).toHaveLength(1);
  });

  it('--add-sso adds the SSO sign-in (no backend change, so no push), still one project and one endpoint', async () => {
    const pushes = deployment().pushes.length;
    const run = await rerun(['--add-sso']);
    expect(run.exitCode, run.all).toBe(0);
    expect(await fs.pathExists(path.join(app, 'src/app/sign-in/sso-form.tsx'))).toBe(true);
    expect(await fs.readFile(path.join(app, 'src/app/sign-in/page.tsx'), 'utf8')).toContain('SsoForm');
    expect((await manifest()).features).toEqual(['base', 'webhooks', 'sso']);
    expect(deployment().pushes.length).toBe(pushes);
    expect((await manifest()).completedSteps['push-convex']).toBeTruthy();
    expect(endpoints()).toHaveLength(1);
    expect(deployment().env.WORKOS_WEBHOOK_SECRET).toBe(endpoints()[0]!.secret);
    expect(world.convex.state.projects.filter((p) => p.name === name)).toHaveLength(1);
  });

  it('--add-webhooks repairs an endpoint deleted in WorkOS and a secret the deployment lost; doctor names that command', async () => {
    const doctorFix = async (id: string) => {
      const run = await runCli(['doctor', '--json'], { cwd: app, env: world.env() });
      const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { checks: Array<{ id: string; ok: boolean; fix?: string }> };
      const check = report.checks.find((c) => c.id === id)!;
      expect(check.ok, run.stdout).toBe(false);
      return check.fix;
    };
    const expectRepaired = () => {
      expect(endpoints()).toHaveLength(1);
      expect(deployment().env.WORKOS_WEBHOOK_SECRET).toBe(endpoints()[0]!.secret);
    };

    // The endpoint is deleted in the WorkOS dashboard.
    const all = world.workos.state.webhookEndpoints;
    all.splice(all.indexOf(endpoints()[0]!), 1);
    expect(await doctorFix('workos.webhook')).toMatch(/^npx create-authkit-convex --add-webhooks/);
    let run = await rerun(['--add-webhooks']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).not.toMatch(/Nothing to do/);
    expectRepaired();

    // The deployment loses its WORKOS_WEBHOOK_SECRET.
    delete deployment().env.WORKOS_WEBHOOK_SECRET;
    expect(await doctorFix('deployment.WORKOS_WEBHOOK_SECRET')).toMatch(/^npx create-authkit-convex --add-webhooks/);
    run = await rerun(['--add-webhooks']);
    expect(run.exitCode, run.all).toBe(0);
    expectRepaired();
    for (const secret of world.secrets()) expect(run.all).not.toContain(secret);
  });

  it('a rerun with nothing to do says so and exits 0', async () => {
    const pushes = deployment().pushes.length;
    const run = await rerun(['--add-sso']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toMatch(/Nothing to do/);
    expect(deployment().pushes.length).toBe(pushes);
  });
});
