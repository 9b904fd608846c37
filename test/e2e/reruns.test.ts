/**
 * Adding features to a project the CLI made: no flags needed (keys from .env.local, the rest from the
 * manifest), user edits never clobbered, --dry-run changes nothing, --add-webhooks repairs a broken webhook, and a
 * rerun with nothing to do says so. A feature added as one module and one template folder (in a built copy
 * of this package) shows in --help, --dry-run, the manifest, reruns and doctor.
 */
import path from 'node:path';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { builtCopyWith } from '../helpers/package-copy.js';
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
const rerun = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: app, env: { ...world.env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '', ...env }, timeoutMs: 8 * 60_000 });

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

  it('--add-webhooks registers the webhook, sets its secret, pushes (type-checking the user\'s convex/ code), and keeps a user-edited file', async () => {
    const readmeFile = path.join(app, 'README.md');
    await fs.appendFile(readmeFile, '\nMy own notes.\n');
    const edited = await fs.readFile(readmeFile, 'utf8');
    // A module of the user's own: the push must type-check it (ours alone it need not).
    await fs.writeFile(path.join(app, 'convex/notes.ts'), 'export const greeting: string = "hello";\n');
    const pushes = deployment().pushes.length;

    const argvLog = path.join(path.dirname(app), 'rerun-argv.log');
    const run = await rerun(['--add-webhooks'], { CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog });
    expect(run.exitCode, run.all).toBe(0);
    const push = (await fs.readFile(argvLog, 'utf8')).split('\n').filter((l) => l.includes('"dev","--once"') && !l.includes('--skip-push'));
    expect(push).toHaveLength(1);
    expect(push[0]).toContain('"--typecheck","enable"');
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

/** A contributor's new feature: one module in src/features and one template folder, nothing else edited. */
const toyFeature = {
  'src/features/toy.ts': `import type { Feature } from './types.js';

export const feature: Feature = {
  id: 'toy',
  order: 100,
  option: { default: false, description: 'Add the toy page', addDescription: 'Add the toy page to an existing project' },
  scripts: { toy: 'node -e "console.log(1)"' },
  vars: [{ name: 'TOY_GREETING', where: 'local', secret: false, value: () => 'hello' }],
  async doctorChecks() {
    const title = '.env.local has TOY_GREETING';
    return {
      local: [
        async (ctx) =>
          ctx.localEnv.TOY_GREETING === 'hello'
            ? { id: 'toy.greeting', ok: true, title }
            : { id: 'toy.greeting', ok: false, title, cause: 'TOY_GREETING is not hello', fix: 'npx create-authkit-convex --add-toy' },
      ],
    };
  },
  rerun: ['templates', 'local-env'],
};
`,
  'templates/toy/TOY.md.hbs': '# {{projectName}} has a toy\n',
};

describe('a feature added as one module and one template folder', () => {
  let cli: string;
  const toyRun = (args: string[]) =>
    runCli(args, { cli, cwd: app, env: { ...world.env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' }, timeoutMs: 8 * 60_000 });

  beforeAll(async () => {
    cli = await builtCopyWith(toyFeature);
  }, 2 * 60_000);

  it('is in --help, as --toy and --add-toy', async () => {
    const run = await runCli(['--help'], { cli, cwd: app });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toMatch(/--toy\s+Add the toy page/);
    expect(run.stdout).toMatch(/--add-toy\s+Add the toy page to an existing project/);
  });

  it('--add-toy --dry-run shows its template, its script and changes nothing', async () => {
    const pkg = await fs.readFile(path.join(app, 'package.json'), 'utf8');
    const run = await toyRun(['--add-toy', '--dry-run']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toContain('+++ b/TOY.md');
    expect(run.stdout).toContain('+# rerun-app has a toy');
    expect(run.stdout).toContain('+++ b/package.json');
    expect(run.stdout).toMatch(/^\s*\+\s*"toy": "node -e/m);
    expect(await fs.pathExists(path.join(app, 'TOY.md'))).toBe(false);
    expect(await fs.readFile(path.join(app, 'package.json'), 'utf8')).toBe(pkg);
  });

  it('--add-toy writes its files, script and variable, and the manifest records it; again, nothing to do', async () => {
    let run = await toyRun(['--add-toy']);
    expect(run.exitCode, run.all).toBe(0);
    expect(await fs.readFile(path.join(app, 'TOY.md'), 'utf8')).toBe('# rerun-app has a toy\n');
    expect((await fs.readJson(path.join(app, 'package.json'))).scripts.toy).toBe('node -e "console.log(1)"');
    expect(await fs.readFile(path.join(app, '.env.local'), 'utf8')).toMatch(/^TOY_GREETING=hello$/m);
    const recorded = await manifest();
    expect(recorded.features.at(-1)).toBe('toy');
    expect(recorded.options.toy).toBe(true);
    expect(recorded.files['TOY.md']).toBeTruthy();

    run = await toyRun(['--add-toy']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toMatch(/Nothing to do: .* toy/);
  });

  it('doctor runs its check', async () => {
    const run = await runCli(['doctor', '--json'], { cli, cwd: app, env: world.env() });
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { checks: Array<{ id: string; ok: boolean }> };
    expect(report.checks.find((c) => c.id === 'toy.greeting')).toMatchObject({ ok: true });
  });
});
