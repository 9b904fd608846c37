/**
 * Every outside step under every fault, from one table: the run exits non-zero naming the step and the
 * fix, the manifest records what completed (and not the failed step), no secret shows, and the same
 * command completes, with exactly one Convex project, one webhook endpoint and one set of variables.
 * Add a row when a step is added.
 */
import path from 'node:path';
import fs from 'fs-extra';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { preparedApp, type Stage } from '../helpers/prepared-app.js';
import type { World } from '../helpers/world.js';
import { useWorld } from '../helpers/use-world.js';

vi.setConfig({ testTimeout: 5 * 60_000 });

type Fault = 'error status' | 'dropped connection';

interface Row {
  step: string;
  title: string;
  /** Where the prepared project starts: the step must still be ahead of it. */
  from: Stage;
  faults: Partial<Record<Fault, (w: World) => void>>;
}

const forever = 1000;
const table: Row[] = [
  {
    step: 'shadcn',
    title: 'Add shadcn/ui',
    from: 'install',
    faults: {
      'error status': (w) => w.registry.fail({ path: /\/r\/styles\// }, { status: 503, times: forever }),
      'dropped connection': (w) => w.registry.fail({ path: /\/r\/styles\// }, { drop: true, times: forever }),
    },
  },
  {
    step: 'verify-workos',
    title: 'Verify the WorkOS keys',
    from: 'fonts',
    faults: { 'error status': (w) => w.workos.fail({ method: 'GET', path: '/webhook_endpoints' }, { status: 500, body: { message: 'down' }, times: forever }) },
  },
  {
    step: 'provision-convex',
    title: 'Provision a Convex deployment',
    from: 'fonts',
    faults: {
      'error status': (w) => w.convex.fail({ path: /\/create_project$/ }, { status: 500, body: { code: 'InternalServerError', message: 'down' }, times: forever }),
      'dropped connection': (w) => w.convex.fail({ path: /provision_and_authorize$/ }, { drop: true, times: forever }),
    },
  },
  {
    step: 'configure-workos',
    title: 'Configure WorkOS',
    from: 'fonts',
    faults: {
      'error status': (w) => w.workos.fail({ method: 'POST', path: '/user_management/redirect_uris' }, { status: 500, body: { message: 'down' }, times: forever }),
      'dropped connection': (w) => w.workos.fail({ method: 'POST', path: '/webhook_endpoints' }, { drop: true, times: forever }),
    },
  },
  {
    step: 'deployment-env',
    title: 'Set the deployment environment',
    from: 'fonts',
    faults: { 'error status': (w) => w.convex.fail({ path: /update_environment_variables$/ }, { status: 500, body: { code: 'InternalServerError', message: 'down' }, times: forever }) },
  },
  {
    step: 'push-convex',
    title: 'Push to Convex',
    from: 'fonts',
    faults: { 'error status': (w) => w.convex.fail({ path: /\/deploy2\/start_push$/ }, { status: 400, body: { code: 'BadPush', message: 'refused' }, times: forever }) },
  },
];

const cases = table.flatMap((row) => Object.entries(row.faults).map(([fault, inject]) => ({ ...row, fault, inject: inject! })));

const world = useWorld();

describe.each(cases)('$step under $fault', ({ step, title, from, fault, inject }) => {
  it('fails naming the step, records the rest, and the same command completes', async () => {
    const name = `m-${step}-${fault.split(' ')[0]}`;
    const app = await preparedApp(world(), name, from);
    const run = () => runCli([name, '--yes'], { cwd: path.dirname(app), env: world().env(), timeoutMs: 8 * 60_000 });

    inject(world());
    const startedAt = Date.now();
    const failed = await run();
    world().convex.clearFaults();
    world().workos.clearFaults();
    world().registry.clearFaults();
    expect(failed.exitCode, failed.all).toBeGreaterThan(0);
    expect(failed.stderr).toContain(`${title} failed`);
    expect(failed.stderr).toMatch(/Fix: /);
    const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
    // Not recorded by this run (a step that runs every time may carry an earlier run's record).
    const recorded = manifest.completedSteps[step];
    expect(recorded === undefined || Date.parse(recorded) < startedAt).toBe(true);
    expect(manifest.completedSteps[from]).toBeTruthy();
    for (const secret of world().secrets()) expect(failed.all).not.toContain(secret);
    expect((await fs.readdir(app, { recursive: true })).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);

    const done = await run();
    expect(done.exitCode, done.all).toBe(0);
    for (const secret of world().secrets()) expect(done.all).not.toContain(secret);
    const projects = world().convex.state.projects.filter((p) => p.name === name);
    expect(projects).toHaveLength(1);
    const deployment = world().convex.state.deployments.find((d) => d.projectId === projects[0]!.id)!;
    const endpoints = world().workos.state.webhookEndpoints.filter((e) => e.endpoint_url === `${deployment.siteUrl}/workos/webhook`);
    expect(endpoints).toHaveLength(1);
    expect(deployment.env.WORKOS_WEBHOOK_SECRET).toBe(endpoints[0]!.secret);
    expect(Object.keys(deployment.env).filter((k) => k.startsWith('WORKOS_')).sort()).toEqual(['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_WEBHOOK_SECRET']);
  });
});
