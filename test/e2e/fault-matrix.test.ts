/**
 * Every outside step under every fault, from one table: the run exits non-zero (130 for Ctrl-C) naming
 * the step and the fix, leaves no half-written file, the manifest records what completed (and not the
 * failed step), no secret shows in the output, the log or any argv, and the same command completes with
 * exactly one Convex project, one webhook endpoint and one set of variables. Add a row when a step is
 * added; a fault a step cannot meet is left out of its row.
 *
 * The cases run three at a time, each in an offline world of its own (its faults answer only its own
 * runs): much of a case is waiting (for a timeout, a tool's retries, a hung request), and two cores
 * can run another case meanwhile.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { beforeAll, describe, it, vi, type ExpectStatic } from 'vitest';
import type { Fault as Answer, FaultMatch } from '../world/faults.js';
import { cliPath, runCli, type CliRun } from '../helpers/cli.js';
import { borrowInstall, preparedApp, type Stage } from '../helpers/prepared-app.js';
import { startWorld, type World } from '../helpers/world.js';
import { useWorldPool } from '../helpers/use-world.js';

// A case may first wait for a free world.
vi.setConfig({ testTimeout: 10 * 60_000 });

type Fault = 'error status' | 'timeout' | 'dropped connection' | 'bad credentials' | 'SIGINT';
type Service = 'npm' | 'registry' | 'workos' | 'convex';

interface Row {
  step: string;
  title: string;
  /** Where the prepared project starts: the step must still be ahead of it. */
  from: Stage;
  service: Service;
  /** The requests of the step that the fault answers. */
  match: FaultMatch;
  /** The service's own answers for an error status and, where it applies, for bad credentials. */
  error: Answer;
  unauthorized?: Answer;
  /** Faults this step cannot meet, and why. */
  without?: Partial<Record<Fault, string>>;
  /** `--timeout` for a run whose service never answers (long enough for the step's own work). */
  timeoutSeconds?: number;
  /** Faults the step's tool retries without end, so that only `--timeout` stops it. */
  retriedForever?: Fault[];
  /** The fix a failed run must print, where it differs from the fault's own (see `expectedFix`). */
  fixes?: Partial<Record<Fault, RegExp>>;
  /** Before the rerun: e.g. the prepared install, so a rerun of the install has nothing to fetch. */
  beforeRerun?: (w: World, app: string) => Promise<void>;
}

const forever = 1000;
const convexDown: Answer = { status: 500, body: { code: 'InternalServerError', message: 'down' } };
const workosDown: Answer = { status: 500, body: { message: 'down' } };
const npmDown: Answer = { status: 503, body: { error: 'down' } };
const npmUnauthorized: Answer = { status: 401, body: { error: 'authentication required' } };
const badAdminKey: Answer = { status: 401, body: { code: 'BadAdminKey', message: 'The provided admin key was invalid for this instance' } };

const table: Row[] = [
  {
    step: 'create-app',
    title: 'Create the Next.js app',
    from: 'create-app', // not used: this row starts from an empty directory
    service: 'npm',
    match: { path: '/create-next-app' },
    error: npmDown,
    unauthorized: npmUnauthorized,
  },
  {
    step: 'install',
    title: 'Install dependencies',
    from: 'create-app',
    service: 'npm',
    match: { path: /.*/ },
    error: npmDown,
    unauthorized: npmUnauthorized,
    beforeRerun: borrowInstall,
  },
  {
    step: 'shadcn',
    title: 'Add shadcn/ui',
    from: 'install',
    service: 'registry',
    match: { path: /\/r\/styles\// },
    error: { status: 503 },
    without: { 'bad credentials': 'the shadcn registry is public' },
    timeoutSeconds: 8,
  },
  {
    step: 'verify-workos',
    title: 'Verify the WorkOS keys',
    from: 'install',
    service: 'workos',
    match: { method: 'GET', path: '/webhook_endpoints' },
    error: workosDown,
    unauthorized: { status: 401, body: { message: 'Unauthorized' } },
    timeoutSeconds: 1,
  },
  {
    step: 'provision-convex',
    title: 'Provision a Convex deployment',
    from: 'install',
    service: 'convex',
    match: { path: /provision_and_authorize$/ },
    error: convexDown,
    unauthorized: { status: 401, body: { code: 'Unauthenticated', message: 'Could not verify your access token. Log in again with `npx convex login`.' } },
    timeoutSeconds: 5,
  },
  {
    step: 'configure-workos',
    title: 'Configure WorkOS',
    from: 'install',
    service: 'workos',
    match: { method: 'POST', path: /^\/(user_management\/redirect_uris|webhook_endpoints)$/ },
    error: workosDown,
    without: { 'bad credentials': 'the key was verified by the first step of the same run' },
    timeoutSeconds: 5,
  },
  {
    step: 'deployment-env',
    title: 'Set the deployment environment',
    from: 'install',
    service: 'convex',
    match: { path: /update_environment_variables$/ },
    error: convexDown,
    unauthorized: badAdminKey,
    timeoutSeconds: 5,
  },
  {
    step: 'push-convex',
    title: 'Push to Convex',
    from: 'install',
    service: 'convex',
    // Every request of a push (a bad admin key fails them all).
    match: { path: /\/api\/(get_config_hashes|deploy2\/[a-z_]+)$/ },
    // The convex CLI retries a 5xx push for minutes; a 4xx is final.
    error: { status: 400, body: { code: 'BadPush', message: 'refused' } },
    unauthorized: badAdminKey,
    timeoutSeconds: 20,
    retriedForever: ['dropped connection'],
  },
];

const faults: Fault[] = ['error status', 'timeout', 'dropped connection', 'bad credentials', 'SIGINT'];

/** The credential each service's refusal must send the user to renew. */
const credentialFix: Record<Service, RegExp> = {
  npm: /\.npmrc|npm login/,
  registry: /never/, // the shadcn registry is public: no row has bad credentials
  workos: /API key/i,
  convex: /npx convex login|admin key/i,
};

/**
 * The `Fix:` a failed run must print: for bad credentials, the login or key to renew; for a timeout,
 * the network or a longer --timeout; for an error status or a dropped connection, the network or a
 * rerun; for Ctrl-C, the rerun that resumes.
 */
function expectedFix(row: Row, fault: Fault): RegExp {
  const own = row.fixes?.[fault];
  if (own) return own;
  switch (fault) {
    case 'bad credentials':
      return credentialFix[row.service];
    case 'timeout':
      return /--timeout|network/;
    case 'error status':
    case 'dropped connection':
      return /network|run the same command again/;
    case 'SIGINT':
      return /Run the same command again: it resumes/;
  }
}

function answerFor(row: Row, fault: Fault): Answer | undefined {
  if (row.without?.[fault]) return undefined;
  switch (fault) {
    case 'error status':
      return { ...row.error, times: forever };
    case 'bad credentials':
      return row.unauthorized && { ...row.unauthorized, times: forever };
    case 'dropped connection':
      return { drop: true, times: forever };
    case 'timeout':
    case 'SIGINT':
      return { hang: true, times: forever };
  }
}

const cases = table.flatMap((row) =>
  faults.flatMap((fault) => {
    const answer = answerFor(row, fault);
    return answer ? [{ ...row, fault, answer }] : [];
  }),
);

const withWorld = useWorldPool(3);

// The prepared projects, made once before the cases start (not by several cases at the same time), in
// a world of their own: npm keeps what it fetched keyed by the registry's URL, so create-next-app fetched
// through a case's npm stand-in would be taken from the cache, and that case's fault never met.
beforeAll(async () => {
  const w = await startWorld();
  try {
    await preparedApp(w, 'warm-create-app', 'create-app');
    await preparedApp(w, 'warm-install', 'install');
  } finally {
    await w.close();
  }
}, 20 * 60_000);

/** The failing run's environment: the service's stand-in, and how long to wait for it. */
function failingEnv(world: World, row: Row, fault: Fault, argvLog: string): Record<string, string> {
  const env: Record<string, string> = { ...world.env(), CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog };
  if (row.service === 'npm') {
    // npm's own settings: no retries, and give up on a silent registry after 2 s.
    Object.assign(env, world.npm.env(), { npm_config_fetch_retries: '0' });
    if (fault === 'timeout') env.npm_config_fetch_timeout = '2000';
  } else if (fault === 'timeout' || row.retriedForever?.includes(fault)) {
    env.CREATE_AUTHKIT_CONVEX_TIMEOUT = String(row.timeoutSeconds);
  }
  return env;
}

/** Starts the CLI; with Ctrl-C, sends SIGINT once the hung request has reached the service. */
async function failingRun(args: string[], cwd: string, env: Record<string, string>, fault: Fault, answer: Answer, expect: ExpectStatic): Promise<CliRun> {
  const child = execa(process.execPath, [cliPath, ...args], {
    cwd,
    env: { CI: 'true', npm_config_prefer_offline: 'true', ...env },
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: 5 * 60_000,
  });
  if (fault === 'SIGINT') {
    await vi.waitFor(() => expect(answer.taken ?? 0).toBeGreaterThan(0), { timeout: 3 * 60_000, interval: 100 });
    child.kill('SIGINT');
  }
  const result = await child;
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), all: String(result.all) };
}

function standIn(w: World, service: Service): { fail(match: FaultMatch, answer: Answer): void } {
  return service === 'npm' ? w.npm : service === 'registry' ? w.registry : service === 'workos' ? w.workos : w.convex;
}

describe.concurrent.each(cases)('$step under $fault', (c) => {
  it('fails naming the step and the fix, records the rest, and the same command completes', ({ expect }) => withWorld(async (world) => {
    const name = `m-${c.step}-${c.fault.split(' ')[0]!.toLowerCase()}`;
    let app: string;
    if (c.step === 'create-app') {
      app = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-app-')), name);
      world.trackApp(app);
    } else {
      app = await preparedApp(world, name, c.from);
    }
    const cwd = path.dirname(app);
    const argvLog = path.join(cwd, 'argv.jsonl');
    const args = [name, '--yes'];

    standIn(world, c.service).fail(c.match, c.answer);
    const startedAt = Date.now();
    const failed = await failingRun(args, cwd, failingEnv(world, c, c.fault, argvLog), c.fault, c.answer, expect);
    world.clearFaults();

    // Exit code, and a message that names the step and what to do.
    if (c.fault === 'SIGINT') {
      expect(failed.exitCode, failed.all).toBe(130);
      expect(failed.stderr).toMatch(new RegExp(`Cancelled during (".+" and )?"${c.title}"`));
    } else {
      expect(failed.exitCode, failed.all).toBeGreaterThan(0);
      expect(failed.stderr).toContain(`${c.title} failed`);
      if (c.fault === 'timeout') expect(failed.stderr).toMatch(/timed out|timeout/i);
    }
    const fix = /Fix: (.*(?:\n(?!\S).*)*)/.exec(failed.stderr)?.[1] ?? '';
    expect(fix, failed.stderr).toMatch(expectedFix(c, c.fault));

    // No secret in the output, the log, or any argv. A failed or cancelled run keeps its log and names it,
    // so the check below reads a real log (its first line says which run it is; its last, how it ended).
    const argv = (await fs.pathExists(argvLog)) ? await fs.readFile(argvLog, 'utf8') : '';
    const logFile = /Full log: (\S+)/.exec(failed.all)?.[1];
    expect(logFile, failed.all).toBeTruthy();
    const logged = await fs.readFile(logFile!, 'utf8');
    expect(logged).toMatch(new RegExp(`^create-authkit-convex \\S+ in \\S*${name},`));
    expect(logged).toMatch(c.fault === 'SIGINT' ? /✖ Cancelled during/ : new RegExp(`✖ ${c.title} failed`));
    for (const secret of world.secrets()) {
      expect(failed.all).not.toContain(secret);
      expect(logged).not.toContain(secret);
      expect(argv).not.toContain(secret);
    }

    // Nothing half-written: no temporary file or staging folder is left behind.
    expect((await fs.readdir(cwd)).filter((f) => f.startsWith('.create-authkit-convex-'))).toEqual([]);
    if (c.step === 'create-app') {
      // create-next-app's files move in only once it has finished: nothing of the project exists yet.
      expect(await fs.pathExists(app) ? await fs.readdir(app) : []).toEqual([]);
    } else {
      expect((await fs.readdir(app, { recursive: true })).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
      const manifest = await fs.readJson(path.join(app, 'authkit-convex.json'));
      // Not recorded by this run (a step that runs every time may carry an earlier run's record).
      const recorded = manifest.completedSteps[c.step];
      expect(recorded === undefined || Date.parse(recorded) < startedAt).toBe(true);
      expect(manifest.completedSteps[c.from]).toBeTruthy();
    }

    await c.beforeRerun?.(world, app);
    const done = await runCli(args, { cwd, env: { ...world.env(), CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog }, timeoutMs: 8 * 60_000 });
    expect(done.exitCode, done.all).toBe(0);
    const argvAfter = await fs.readFile(argvLog, 'utf8');
    for (const secret of world.secrets()) {
      expect(done.all).not.toContain(secret);
      expect(argvAfter).not.toContain(secret);
    }
    // The rerun left no staging folder either.
    expect((await fs.readdir(cwd)).filter((f) => f.startsWith('.create-authkit-convex-'))).toEqual([]);
    const projects = world.convex.state.projects.filter((p) => p.name === name);
    expect(projects).toHaveLength(1);
    const deployment = world.convex.state.deployments.find((d) => d.projectId === projects[0]!.id)!;
    const endpoints = world.workos.state.webhookEndpoints.filter((e) => e.endpoint_url === `${deployment.siteUrl}/workos/webhook`);
    expect(endpoints).toHaveLength(1);
    expect(deployment.env.WORKOS_WEBHOOK_SECRET).toBe(endpoints[0]!.secret);
    expect(Object.keys(deployment.env).filter((k) => k.startsWith('WORKOS_')).sort()).toEqual(['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_WEBHOOK_SECRET']);
    expect(deployment.pushes.length).toBeGreaterThan(0);
  }));
});
