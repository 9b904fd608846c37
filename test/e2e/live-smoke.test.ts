/**
 * The live smoke script (test/live/smoke.ts) run against the offline world instead of the real services:
 * its checks must pass on a good scaffold, fail on a broken one, and remove what the run created
 * either way (a Convex project or a webhook endpoint left behind on a maintainer's account is the bug).
 */
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { missingCredentials, runSmoke } from '../live/smoke.js';
import { useWorld } from '../helpers/use-world.js';

const world = useWorld();
const forever = 1000;

function smokeEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...world().env(), CI: 'true', npm_config_prefer_offline: 'true' };
}
const scratchFolders = () => readdirSync(os.tmpdir()).filter((f) => f.startsWith('cak-live-'));

describe('the live smoke script', () => {
  it('says what is missing, and runs nothing, without credentials or with a production key', async () => {
    const home = world().home;
    expect(missingCredentials({ HOME: home })).toMatch(/WORKOS_API_KEY.*WORKOS_CLIENT_ID.*Convex login/);
    expect(missingCredentials({ HOME: home, WORKOS_API_KEY: 'sk_live_x', WORKOS_CLIENT_ID: 'client_x', CONVEX_OVERRIDE_ACCESS_TOKEN: 't' })).toMatch(/sk_test_/);
    const before = world().workos.requests.length;
    const result = await runSmoke({ HOME: home });
    expect(result).toMatchObject({ ok: false, checks: [], cleanup: [] });
    expect(result.skipped).toMatch(/WORKOS_API_KEY/);
    expect(world().workos.requests.length).toBe(before);
  });

  it('passes on a good scaffold, then removes its Convex project and webhook endpoint', async () => {
    const before = scratchFolders();
    const lines: string[] = [];
    const result = await runSmoke(smokeEnv(), (l) => lines.push(l));
    expect(result.checks.filter((c) => !c.ok), lines.join('\n')).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual(['the scaffold finishes', 'one WorkOS webhook endpoint points at the deployment', 'doctor passes every check']);
    expect(result.ok).toBe(true);
    // What it made is gone: the project (and its deployment), the endpoint, the folder.
    expect(world().convex.state.projects).toEqual([]);
    expect(world().convex.state.deployments.filter((d) => d.projectId !== null)).toEqual([]);
    expect(world().workos.state.webhookEndpoints).toEqual([]);
    expect(result.cleanup.map((c) => c.what).join('\n')).toMatch(/webhook endpoint[\s\S]*Convex project/);
    expect(scratchFolders()).toEqual(before);
  }, 10 * 60_000);

  it('fails when the scaffold fails, and still removes what the run had created', async () => {
    // The deployment's variables cannot be set: by then the project exists and the endpoint is registered.
    world().convex.fail({ path: /update_environment_variables$/ }, { status: 400, body: { code: 'TestStop', message: 'stopped by the test' }, times: forever });
    const result = await runSmoke(smokeEnv());
    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([expect.objectContaining({ name: 'the scaffold finishes', ok: false })]);
    expect(result.cleanup.length).toBeGreaterThanOrEqual(2);
    expect(result.cleanup.every((c) => c.ok)).toBe(true);
    expect(world().convex.state.projects).toEqual([]);
    expect(world().workos.state.webhookEndpoints).toEqual([]);
  }, 10 * 60_000);
});
