/**
 * The generated app in its other feature combinations (the default one is built in scaffold.test.ts):
 * it must type-check, lint, pass its own tests and build offline.
 */
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { startWorld, type World } from '../helpers/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const combos = [
  { name: 'with-sso', flags: ['--sso'], features: ['base', 'webhooks', 'sso'] },
  { name: 'no-webhooks', flags: ['--no-webhooks'], features: ['base'] },
];

describe.each(combos)('generated app: $name', ({ name, flags, features }) => {
  let app: string;
  const inApp = (cmd: string, args: string[]) =>
    execa(cmd, args, { cwd: app, env: { CI: 'true', NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, all: true, reject: false, timeout: 5 * 60_000 });

  beforeAll(async () => {
    app = await preparedApp(world, name);
    const run = await runCli([name, '--yes', ...flags], { cwd: path.dirname(app), env: world.env(), timeoutMs: 8 * 60_000 });
    expect(run.exitCode, run.all).toBe(0);
  }, 15 * 60_000);

  it('renders exactly the chosen features', async () => {
    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.features).toEqual(features);
    expect(await fs.pathExists(path.join(app, 'convex/http.ts'))).toBe(features.includes('webhooks'));
    expect(await fs.pathExists(path.join(app, 'src/app/sign-in/sso-form.tsx'))).toBe(features.includes('sso'));
    const signIn = await fs.readFile(path.join(app, 'src/app/sign-in/page.tsx'), 'utf8');
    expect(signIn.includes('SsoForm')).toBe(features.includes('sso'));
    if (!features.includes('webhooks')) expect(world.workos.state.webhookEndpoints.filter((e) => e.endpoint_url.includes(name))).toHaveLength(0);
  });

  it('type-checks and lints', async () => {
    const typegen = await inApp('npx', ['next', 'typegen']);
    expect(typegen.exitCode, typegen.all).toBe(0);
    const tsc = await inApp('npx', ['tsc', '--noEmit']);
    expect(tsc.exitCode, tsc.all).toBe(0);
    const lint = await inApp('npx', ['eslint', '.']);
    expect(lint.exitCode, lint.all).toBe(0);
  }, 5 * 60_000);

  it("passes the app's own tests", async () => {
    const tests = await inApp('npm', ['test']);
    expect(tests.exitCode, tests.all).toBe(0);
    expect(tests.all).toMatch(/Tests\s+\d+ passed/);
  }, 5 * 60_000);

  it('builds offline', async () => {
    const build = await inApp('npx', ['next', 'build']);
    expect(build.exitCode, build.all).toBe(0);
  }, 5 * 60_000);
});
