/**
 * Steps alone, each given only the part of the context it reads (a hand-made Pick<Context, …>) and,
 * where it asks, a scripted asker. Outside tools are the real ones where they are local (git).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { CancelledError, UsageError } from '../../src/errors.js';
import { newManifest } from '../../src/manifest.js';
import { noAsker, type Asker } from '../../src/options/ask.js';
import { checkConvexLogin } from '../../src/steps/check-convex-login.js';
import { initGit } from '../../src/steps/init-git.js';
import { setDeploymentEnv } from '../../src/steps/set-deployment-env.js';
import type { Reporter } from '../../src/ui/reporter.js';

const clientId = 'client_01JTESTCLIENT0000000000000';
const apiKey = 'sk_test_unitstepkey000000000000000000';

function quietReporter(lines: string[] = []): Reporter {
  const reporter = { step: () => {}, info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`! ${m}`), note: () => {}, waiting: () => () => {}, pause: () => {}, close: () => {} };
  return reporter as unknown as Reporter;
}

/** An asker that gives the scripted answers, in order, and remembers the questions. */
function scriptedAsker(answers: Array<boolean | string | Error>): Asker & { asked: string[] } {
  const asked: string[] = [];
  const next = async (message: string) => {
    asked.push(message);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected question: ${message}`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return {
    asked,
    ask: async (name) => next(String(name)),
    text: async ({ message }) => String(await next(message)),
    password: async ({ message }) => String(await next(message)),
    confirm: async ({ message }) => (await next(message)) === true,
    select: async ({ message }) => (await next(message)) as never,
  };
}

const tempDir = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

describe('set the deployment environment (step)', () => {
  type EnvCtx = Pick<Context, 'options' | 'manifest' | 'deploymentEnv' | 'webhookSecret' | 'interactive' | 'ask' | 'reporter' | 'projectDir' | 'timeoutMs'>;
  const envCtx = (over: Partial<EnvCtx>): EnvCtx => ({
    options: { workosClientId: clientId, workosApiKey: apiKey, webhooks: true, sso: false } as Partial<Context['options']> as Context['options'],
    manifest: newManifest('0.0.0', {}),
    interactive: false,
    ask: noAsker,
    reporter: quietReporter(),
    // No convex CLI can run here: a step that tried to would fail on this folder.
    projectDir: path.join(tempDir('cak-env-'), 'absent'),
    timeoutMs: 1000,
    ...over,
  });

  it('changes nothing when the deployment already holds the values, and records them as ours', async () => {
    const ctx = envCtx({ deploymentEnv: { WORKOS_CLIENT_ID: clientId, WORKOS_API_KEY: apiKey, OTHER: 'x' } });
    expect(await setDeploymentEnv.run(ctx as Context)).toBe('already up to date');
    expect(ctx.manifest.deploymentEnv).toEqual(['WORKOS_API_KEY', 'WORKOS_CLIENT_ID']);
  });

  it('without webhooks, wants no WORKOS_API_KEY on the deployment (nothing there calls WorkOS)', async () => {
    const options = { workosClientId: clientId, workosApiKey: apiKey, webhooks: false, sso: false } as Partial<Context['options']> as Context['options'];
    const ctx = envCtx({ options, deploymentEnv: { WORKOS_CLIENT_ID: clientId } });
    expect(await setDeploymentEnv.run(ctx as Context)).toBe('already up to date');
    expect(ctx.manifest.deploymentEnv).toEqual(['WORKOS_CLIENT_ID']);
    expect(setDeploymentEnv.describe(ctx as Context)).not.toContain('WORKOS_API_KEY');
  });

  it('sets WORKOS_AUTH_DOMAIN only when --workos-auth-domain gives it, and plans it only then', async () => {
    const ctx = envCtx({ deploymentEnv: { WORKOS_CLIENT_ID: clientId, WORKOS_API_KEY: apiKey } });
    expect(setDeploymentEnv.describe(ctx as Context)).not.toContain('WORKOS_AUTH_DOMAIN');
    expect(await setDeploymentEnv.run(ctx as Context)).toBe('already up to date');
    ctx.options.workosAuthDomain = 'auth.example.com';
    expect(setDeploymentEnv.describe(ctx as Context)).toContain('WORKOS_AUTH_DOMAIN');
  });

  it('asks before replacing a variable set outside this tool, and stops with the fix on a no', async () => {
    const asker = scriptedAsker([false]);
    const ctx = envCtx({ deploymentEnv: { WORKOS_CLIENT_ID: 'client_someoneelse', WORKOS_API_KEY: apiKey }, interactive: true, ask: asker });
    const error = await setDeploymentEnv.run(ctx as Context).catch((e) => e);
    expect(asker.asked).toEqual(["Replace the deployment's existing WORKOS_CLIENT_ID?"]);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('already has WORKOS_CLIENT_ID with a different value');
    expect(error.fix).toContain('npx convex env remove WORKOS_CLIENT_ID');
    expect(ctx.manifest.deploymentEnv).toEqual([]);
  });

  it('takes a cancelled question as a no', async () => {
    const asker = scriptedAsker([new CancelledError()]);
    const ctx = envCtx({ deploymentEnv: { WORKOS_CLIENT_ID: 'client_someoneelse', WORKOS_API_KEY: apiKey }, interactive: true, ask: asker });
    await expect(setDeploymentEnv.run(ctx as Context)).rejects.toBeInstanceOf(UsageError);
  });

  it('never asks when nobody is there', async () => {
    const ctx = envCtx({ deploymentEnv: { WORKOS_API_KEY: 'sk_test_someoneelses0000000000000000000' } });
    const error = await setDeploymentEnv.run(ctx as Context).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('WORKOS_API_KEY');
  });
});

describe('check the Convex login (step)', () => {
  type LoginCtx = Pick<Context, 'options' | 'projectDir' | 'interactive' | 'ask' | 'reporter' | 'pm' | 'timeoutMs'>;
  const saved = { home: process.env.HOME, token: process.env.CONVEX_OVERRIDE_ACCESS_TOKEN };
  beforeEach(() => {
    // No saved login: a home without ~/.convex, no override token.
    process.env.HOME = tempDir('cak-home-');
    delete process.env.CONVEX_OVERRIDE_ACCESS_TOKEN;
  });
  afterEach(() => {
    process.env.HOME = saved.home;
    if (saved.token !== undefined) process.env.CONVEX_OVERRIDE_ACCESS_TOKEN = saved.token;
  });
  const loginCtx = (projectDir: string): LoginCtx => ({
    options: {} as Context['options'],
    projectDir,
    interactive: false,
    ask: noAsker,
    reporter: quietReporter(),
    pm: 'npm',
    timeoutMs: 1000,
  });

  it('needs no login when the project names its deployment in .env.local', async () => {
    const projectDir = tempDir('cak-login-');
    await fs.writeFile(path.join(projectDir, '.env.local'), 'CONVEX_DEPLOYMENT=dev:happy-otter-123 # team: me, project: app\n');
    expect(await checkConvexLogin.run(loginCtx(projectDir) as Context)).toBe('project already uses dev:happy-otter-123');
  });

  it('without a login and nobody to log in, is bad input naming the login command', async () => {
    const error = await checkConvexLogin.run(loginCtx(tempDir('cak-login-')) as Context).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('You are not logged in to Convex.');
    expect(error.fix).toMatch(/npx convex@[\d.]+ login/);
  });
});

describe('initialize git (step)', () => {
  type GitCtx = Pick<Context, 'projectDir' | 'reporter'>;
  const git = (cwd: string, args: string[]) => execa('git', args, { cwd, env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  const saved = { global: process.env.GIT_CONFIG_GLOBAL, system: process.env.GIT_CONFIG_NOSYSTEM };
  beforeEach(() => {
    // A machine without a git identity.
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    process.env.GIT_CONFIG_NOSYSTEM = '1';
  });
  afterEach(() => {
    for (const [name, value] of [['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.system]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('makes a repository with a first commit of the project, even without a git identity', async () => {
    const projectDir = tempDir('cak-git-');
    await fs.writeFile(path.join(projectDir, 'page.tsx'), 'export default function Page() {}\n');
    const ctx: GitCtx = { projectDir, reporter: quietReporter() };
    await initGit.run(ctx as Context);
    const log = await git(projectDir, ['log', '--format=%an|%s']);
    expect(log.stdout).toBe('create-authkit-convex|Initial commit from create-authkit-convex');
    expect((await git(projectDir, ['ls-files'])).stdout.split('\n')).toContain('page.tsx');
    expect((await git(projectDir, ['status', '--porcelain'])).stdout).toBe('');
  });

  it('inside a repository the user brought, makes neither a nested repository nor a commit', async () => {
    const outer = tempDir('cak-git-outer-');
    await git(outer, ['init', '-q']);
    const projectDir = path.join(outer, 'app');
    await fs.outputFile(path.join(projectDir, 'page.tsx'), 'export default function Page() {}\n');
    const ctx: GitCtx = { projectDir, reporter: quietReporter() };
    expect(await initGit.run(ctx as Context)).toBe('already in a git repository: commit when you are ready');
    expect(await fs.pathExists(path.join(projectDir, '.git'))).toBe(false);
    await expect(git(outer, ['rev-parse', 'HEAD'])).rejects.toThrow();
  });
});
