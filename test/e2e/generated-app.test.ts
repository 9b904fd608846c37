/**
 * The generated app in its other feature combinations (the default one is built in scaffold.test.ts):
 * it must type-check, lint, pass its own tests and build offline.
 */
import path from 'node:path';
import fs from 'fs-extra';
import { beforeAll, describe, expect, it } from 'vitest';
import { itPassesAppChecks } from '../helpers/app-checks.js';
import { runCli } from '../helpers/cli.js';
import { preparedApp } from '../helpers/prepared-app.js';
import { useWorld } from '../helpers/use-world.js';

const world = useWorld();

const combos = [
  { name: 'with-sso', flags: ['--sso'], features: ['base', 'webhooks', 'sso'] },
  { name: 'no-webhooks', flags: ['--no-webhooks'], features: ['base'] },
];

describe.each(combos)('generated app: $name', ({ name, flags, features }) => {
  let app: string;
  beforeAll(async () => {
    app = await preparedApp(world(), name);
    const run = await runCli([name, '--yes', ...flags], { cwd: path.dirname(app), env: world().env(), timeoutMs: 8 * 60_000 });
    expect(run.exitCode, run.all).toBe(0);
  }, 15 * 60_000);

  it('renders exactly the chosen features', async () => {
    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    expect(manifest.features).toEqual(features);
    expect(await fs.pathExists(path.join(app, 'convex/http.ts'))).toBe(features.includes('webhooks'));
    expect(await fs.pathExists(path.join(app, 'src/app/sign-in/sso-form.tsx'))).toBe(features.includes('sso'));
    const signIn = await fs.readFile(path.join(app, 'src/app/sign-in/page.tsx'), 'utf8');
    expect(signIn.includes('SsoForm')).toBe(features.includes('sso'));
    if (!features.includes('webhooks')) expect(world().workos.state.webhookEndpoints.filter((e) => e.endpoint_url.includes(name))).toHaveLength(0);
  });

  itPassesAppChecks(() => app);
});
