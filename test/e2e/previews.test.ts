/**
 * Preview deployments: `--add-previews` sets the project's preview defaults (nothing on dev, .env.local
 * unchanged) and its rerun changes nothing; a preview build, run as a host runs it (a checkout without
 * .env.local, a preview deploy key, Vercel's branch variables) against the stand-ins, gives its preview
 * deployment its own webhook endpoint and secret and an accepted redirect URI; a later build of another
 * branch, once the first preview deployment is deleted, removes that preview's endpoint.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WEBHOOK_EVENTS } from '../../src/systems/workos.js';
import { inApp } from '../helpers/app-checks.js';
import { runCli } from '../helpers/cli.js';
import { finishedApp } from '../helpers/prepared-app.js';
import { startWorld, type World } from '../helpers/world.js';

vi.setConfig({ testTimeout: 6 * 60_000 });

let world: World;
let app: string;
let host: string;
let previewKey: string;
/** Every node process of a preview build appends its argv here (a --require hook): no secret may show. */
let buildArgv: string;
const name = 'preview-app';

beforeAll(async () => {
  world = await startWorld();
  app = await finishedApp(world, name);
}, 15 * 60_000);
afterAll(async () => {
  await world?.close();
});

const project = () => world.convex.state.projects.find((p) => p.name === name)!;
const dev = () => world.convex.state.deployments.find((d) => d.projectId === project().id)!;
const previews = () => world.convex.previews(project().id);
const devEndpointUrl = () => `${dev().siteUrl}/workos/webhook`;
const manifest = () => fs.readJson(path.join(app, 'authkit-convex.json'));
const readEnvLocal = () => fs.readFile(path.join(app, '.env.local'), 'utf8');
/** A rerun inside the project with no keys in the environment: they come from .env.local. */
const rerun = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: app, env: { ...world.env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '', ...env }, timeoutMs: 8 * 60_000 });
const defaultUpdates = () => world.convex.requests.filter((r) => r.path === `/v1/projects/${project().id}/update_default_environment_variables`);

/** The preview endpoint's URL as the build script makes it: the site URL, our path, and its marks. */
function previewEndpointUrl(siteUrl: string, preview: string): string {
  const url = new URL('/workos/webhook', siteUrl);
  url.searchParams.set('convex_project', `${project().teamSlug}:${project().slug}`);
  url.searchParams.set('convex_preview', preview);
  return url.href;
}

/**
 * A hosting provider's preview build of `branch`: what its environment holds (no Convex login, no
 * .env.local), pointed at the stand-ins. `command` is the build command, `npm run build:preview` by default.
 */
async function previewBuild(branch: string, command: string[] = ['npm', 'run', 'build:preview']) {
  if (!buildArgv) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cak-argv-'));
    buildArgv = path.join(dir, 'argv.log');
    await fs.writeFile(path.join(dir, 'hook.cjs'), `require('fs').appendFileSync(${JSON.stringify(buildArgv)}, JSON.stringify(process.argv) + '\\n');\n`);
  }
  const cookiePassword = readFileSync(path.join(app, '.env.local'), 'utf8').match(/^WORKOS_COOKIE_PASSWORD=(.*)$/m)![1]!;
  return execa(command[0]!, command.slice(1), {
    cwd: host,
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 5 * 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: world.home,
      npm_config_cache: world.env().npm_config_cache,
      npm_config_prefer_offline: 'true',
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_OPTIONS: `--require ${path.join(path.dirname(buildArgv), 'hook.cjs')}`,
      CONVEX_PROVISION_HOST: world.convex.provisionHost,
      CONVEX_DEPLOY_KEY: previewKey,
      VERCEL: '1',
      VERCEL_ENV: 'preview',
      VERCEL_GIT_COMMIT_REF: branch,
      VERCEL_BRANCH_URL: `${name}-git-${branch}-acme.vercel.app`,
      VERCEL_URL: `${name}-abc123-acme.vercel.app`,
      ...world.workos.sdkEnv(),
      WORKOS_API_KEY: world.workos.apiKey,
      WORKOS_CLIENT_ID: world.workos.clientId,
      WORKOS_COOKIE_PASSWORD: cookiePassword,
    },
  });
}

describe('preview deployments', () => {
  it('--add-previews refuses a production (sk_live_) key with exit 2, changing nothing', async () => {
    const before = await manifest();
    const run = await rerun(['--add-previews', '--workos-api-key', 'sk_live_no_previews_with_this', '--workos-client-id', world.workos.clientId]);
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toMatch(/sk_live_ key/);
    expect(run.all).toContain('--workos-api-key sk_test_');
    expect(run.all).not.toContain('sk_live_no_previews_with_this');
    expect(await manifest()).toEqual(before);
    expect(defaultUpdates()).toHaveLength(0);
  });

  it('--add-previews sets the preview defaults from .env.local, nothing on dev, and writes the build script', async () => {
    const envLocal = await readEnvLocal();
    const devEnv = { ...dev().env };
    const argvLog = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-previews-')), 'argv.log');
    const run = await rerun(['--add-previews'], { CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog });
    expect(run.exitCode, run.all).toBe(0);

    expect(world.convex.defaultEnv(project().id, 'preview')).toEqual({ WORKOS_CLIENT_ID: world.workos.clientId, WORKOS_API_KEY: world.workos.apiKey });
    expect(world.convex.defaultEnv(project().id, 'dev')).toEqual({});
    expect(dev().env).toEqual(devEnv);
    expect(await readEnvLocal()).toBe(envLocal);

    const m = await manifest();
    expect(m.features).toContain('previews');
    expect(m.previews).toEqual({ workosClientId: world.workos.clientId, defaults: ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID'] });
    expect(m.completedSteps['previews-defaults']).toBeDefined();
    const pkg = await fs.readJson(path.join(app, 'package.json'));
    expect(pkg.scripts['build:preview']).toBe('convex deploy --cmd "node scripts/preview-build.mjs -- next build"');
    expect(await fs.pathExists(path.join(app, 'scripts/preview-build.mjs'))).toBe(true);
    // The host's side is named, never given a value.
    expect(run.all).toContain('build:preview');
    expect(run.all).toContain('CONVEX_DEPLOY_KEY');

    const argv = await fs.readFile(argvLog, 'utf8');
    expect(argv).toContain('default');
    for (const secret of world.secrets()) {
      expect(run.all).not.toContain(secret);
      expect(argv).not.toContain(secret);
    }
  });

  it("the build script passes the app's lint, warnings included", async () => {
    const lint = await inApp(app, 'npx', ['eslint', 'scripts/preview-build.mjs']);
    expect(lint.exitCode, lint.all).toBe(0);
    expect(lint.all, lint.all).not.toMatch(/\b(warning|error)\b|problems?\b/i);
  });

  it('a second --add-previews changes nothing', async () => {
    const updates = defaultUpdates().length;
    const pushes = dev().pushes.length;
    const before = await manifest();
    const run = await rerun(['--add-previews']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toContain('Set the WorkOS keys as the defaults of preview deployments (already up to date)');
    expect(defaultUpdates()).toHaveLength(updates);
    expect(dev().pushes).toHaveLength(pushes);
    const after = await manifest();
    expect(after.files).toEqual(before.files);
    expect(after.previews).toEqual(before.previews);
    expect(world.workos.state.webhookEndpoints.map((e) => e.endpoint_url)).toEqual([devEndpointUrl()]);
  });

  it('a preview build gives its preview deployment its own endpoint and secret, and an accepted redirect URI', async () => {
    previewKey = world.convex.previewDeployKey(project().teamSlug, project().slug);
    // What the host checks out: the committed project, without .env.local (node_modules shared).
    host = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-host-')), name);
    await fs.ensureDir(host);
    for (const entry of await fs.readdir(app)) {
      if (entry === '.env.local' || entry === '.next') continue;
      if (entry === 'node_modules') await execa('cp', ['-al', path.join(app, entry), path.join(host, entry)]);
      else await fs.copy(path.join(app, entry), path.join(host, entry));
    }

    const build = await previewBuild('feature-a');
    expect(build.exitCode, build.all).toBe(0);

    const preview = previews().get('feature-a')!;
    expect(preview, 'a preview deployment named after the branch').toBeDefined();
    expect(preview.pushes.length).toBeGreaterThan(0);
    const url = previewEndpointUrl(preview.siteUrl, 'feature-a');
    const endpoint = world.workos.state.webhookEndpoints.find((e) => e.endpoint_url === url)!;
    expect(endpoint, 'an endpoint at the preview site URL').toBeDefined();
    expect([...endpoint.events].sort()).toEqual([...WEBHOOK_EVENTS].sort());
    expect(preview.env).toEqual({ WORKOS_CLIENT_ID: world.workos.clientId, WORKOS_API_KEY: world.workos.apiKey, WORKOS_WEBHOOK_SECRET: endpoint.secret });
    // The dev endpoint is still there, and the dev deployment keeps its own secret.
    expect(world.workos.state.webhookEndpoints.map((e) => e.endpoint_url)).toContain(devEndpointUrl());
    expect(dev().env.WORKOS_WEBHOOK_SECRET).not.toBe(endpoint.secret);

    // The branch URL's callback is registered, so WorkOS sends signed-in users back to the preview.
    const callback = `https://${name}-git-feature-a-acme.vercel.app/callback`;
    expect(world.workos.state.redirectUris).toContain(callback);
    const authorize = await fetch(
      `${world.workos.origin}/user_management/authorize?${new URLSearchParams({ client_id: world.workos.clientId, redirect_uri: callback, response_type: 'code', provider: 'authkit' })}`,
      { redirect: 'manual' },
    );
    expect(authorize.status, await authorize.text()).toBeLessThan(400);
    // ...and the app was built to use it.
    const { stdout: built } = await execa('grep', ['-rl', callback, path.join(host, '.next')], { reject: false });
    expect(built.trim(), 'the redirect URI is in the built app').not.toBe('');
    const argv = await fs.readFile(buildArgv, 'utf8');
    expect(argv).toContain('preview-build.mjs');
    for (const secret of [...world.secrets(), previewKey]) {
      expect(build.all).not.toContain(secret);
      expect(argv).not.toContain(secret);
    }
  });

  it('a build of another branch, after the first preview deployment is deleted, removes its endpoint', async () => {
    const first = previews().get('feature-a')!;
    await world.convex.deleteDeployment(first.name);
    const staleUrl = previewEndpointUrl(first.siteUrl, 'feature-a');
    expect(world.workos.state.webhookEndpoints.some((e) => e.endpoint_url === staleUrl)).toBe(true);

    // The same command path as build:preview, with a quick app build in place of next build.
    const build = await previewBuild('feature-b', ['npx', 'convex', 'deploy', '--cmd', 'node scripts/preview-build.mjs -- node -e 0']);
    expect(build.exitCode, build.all).toBe(0);

    const second = previews().get('feature-b')!;
    const urls = world.workos.state.webhookEndpoints.map((e) => e.endpoint_url);
    expect(urls).not.toContain(staleUrl);
    expect(urls.sort()).toEqual([devEndpointUrl(), previewEndpointUrl(second.siteUrl, 'feature-b')].sort());
    const endpoint = world.workos.state.webhookEndpoints.find((e) => e.endpoint_url === previewEndpointUrl(second.siteUrl, 'feature-b'))!;
    expect(second.env.WORKOS_WEBHOOK_SECRET).toBe(endpoint.secret);
    const argv = await fs.readFile(buildArgv, 'utf8');
    for (const secret of [...world.secrets(), previewKey]) {
      expect(build.all).not.toContain(secret);
      expect(argv).not.toContain(secret);
    }

    // Building the same branch again reuses its deployment and endpoint: nothing new, the secret stays.
    const again = await previewBuild('feature-b', ['npx', 'convex', 'deploy', '--cmd', 'node scripts/preview-build.mjs -- node -e 0']);
    expect(again.exitCode, again.all).toBe(0);
    expect(world.workos.state.webhookEndpoints.map((e) => e.endpoint_url).sort()).toEqual(urls.sort());
    expect(previews().get('feature-b')!.env.WORKOS_WEBHOOK_SECRET).toBe(endpoint.secret);
  });

  it('a build that recreates its preview (--preview-create) replaces that preview\'s endpoint', async () => {
    const old = previews().get('feature-b')!;
    const build = await previewBuild('feature-b', ['npx', 'convex', 'deploy', '--preview-create', 'feature-b', '--cmd', 'node scripts/preview-build.mjs -- node -e 0']);
    expect(build.exitCode, build.all).toBe(0);
    const fresh = previews().get('feature-b')!;
    expect(fresh.name).not.toBe(old.name);
    const urls = world.workos.state.webhookEndpoints.map((e) => e.endpoint_url);
    expect(urls.sort()).toEqual([devEndpointUrl(), previewEndpointUrl(fresh.siteUrl, 'feature-b')].sort());
    const endpoint = world.workos.state.webhookEndpoints.find((e) => e.endpoint_url === previewEndpointUrl(fresh.siteUrl, 'feature-b'))!;
    expect(fresh.env.WORKOS_WEBHOOK_SECRET).toBe(endpoint.secret);
  });
});
