/**
 * The Convex CLI at the pinned version, with our Node: our own copy provisions and sets variables
 * (so that it can while the app's install runs), the app's own copy pushes (it bundles against the
 * app's packages).
 * One place points it elsewhere: CONVEX_PROVISION_HOST / CONVEX_OVERRIDE_ACCESS_TOKEN (cloud) or
 * CONVEX_SELF_HOSTED_URL / CONVEX_SELF_HOSTED_ADMIN_KEY (self-hosted), which it reads itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import type { ConvexDeployment } from '../context.js';
import { UsageError } from '../errors.js';
import { formatEnvValue, readEnvFile } from '../files/env-file.js';
import type { PackageManager } from '../options/schema.js';
import { addSecret, isSecretName } from '../secrets.js';
import { appDependencies } from '../versions.js';
import { ANONYMOUS_ENV, isLocalDeployment, LOCAL_BACKEND_ARGS } from './convex-local.js';
import { execPackage } from './package-manager.js';
import { CommandFailedError, run, type RunOptions } from './runner.js';

/** What the user types to log in, at the version the app pins. */
export const LOGIN_COMMAND = `npx convex@${appDependencies.convex} login`;

/** The deployment a set of variables (.env.local, or the shell) points the convex CLI at, if any. */
export function deploymentName(env: Record<string, string | undefined>): string | undefined {
  return env.CONVEX_DEPLOYMENT?.split('#')[0]?.trim() || env.CONVEX_SELF_HOSTED_URL || undefined;
}

/** The deployment as the project's .env.local describes it (read with a real dotenv parser), if complete. */
export async function readDeployment(projectDir: string): Promise<ConvexDeployment | undefined> {
  const env = await readEnvFile(projectDir);
  const url = env.NEXT_PUBLIC_CONVEX_URL;
  const siteUrl = env.NEXT_PUBLIC_CONVEX_SITE_URL;
  if (!url || !siteUrl) return undefined;
  return { deployment: env.CONVEX_DEPLOYMENT, url, siteUrl };
}

export function convexBin(projectDir: string): string {
  return path.join(projectDir, 'node_modules', 'convex', 'bin', 'main.js');
}

/** Our own dependency `convex`, the same version as the app's (a unit test holds them equal). */
export function ownConvexBin(): string {
  const pkg = createRequire(import.meta.url).resolve('convex/package.json');
  return path.join(path.dirname(pkg), 'bin', 'main.js');
}

/** Runs the convex CLI in the project: our own copy unless `appCopy` (the push). */
export async function convex(projectDir: string, args: string[], opts: Partial<RunOptions> & { appCopy?: boolean } = {}) {
  const { appCopy, ...runOpts } = opts;
  // process.execPath: the convex CLI needs Node >= 22, which is what runs us.
  return run(process.execPath, [appCopy ? convexBin(projectDir) : ownConvexBin(), ...args], {
    cwd: projectDir,
    timeoutMs: 10 * 60_000,
    label: `convex ${args.join(' ')}`,
    // A local deployment's backend outlives the CLI call that started it (convex-local.ts).
    reapGroup: true,
    ...runOpts,
  }).catch(withCredentialsFix);
}

const CREDENTIALS_FIX =
  'Convex refused the credentials. Log in again with `npx convex login` (self-hosted: check CONVEX_SELF_HOSTED_ADMIN_KEY in .env.local), then run the same command again: it resumes at this step.';

/** The convex CLI's words for a refused login or admin key (a 401 from the account or deployment API). */
export function refusedCredentials(output: string): boolean {
  return /\b401 Unauthorized\b|BadAdminKey|Could not verify your access token|\bUnauthenticated\b/.test(output);
}

function withCredentialsFix(error: unknown): never {
  if (error instanceof CommandFailedError && !error.timedOut && refusedCredentials(error.result.output)) {
    (error as { fix?: string }).fix ??= CREDENTIALS_FIX;
  }
  throw error;
}

/** The account API base the CLI uses (CONVEX_PROVISION_HOST redirects it, as for the CLI itself). */
export function provisionHost(env: NodeJS.ProcessEnv = process.env): string {
  return (env.CONVEX_PROVISION_HOST || 'https://api.convex.dev').replace(/\/$/, '');
}

/** The access token the CLI would use: the override variable, else the one `convex login` saved. */
/** Registered as a secret as soon as it is read. */
export function accessToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env.CONVEX_OVERRIDE_ACCESS_TOKEN || savedAccessToken();
  addSecret(token);
  return token;
}

/** `convex login` in the terminal (it opens a browser); resolves to the token it saved. */
export async function login(pm: PackageManager, cwd: string): Promise<string> {
  await execPackage(pm, `convex@${appDependencies.convex}`, ['login'], { cwd, interactive: true });
  const token = accessToken();
  if (!token) throw new UsageError('The Convex login did not finish.', `Run \`${LOGIN_COMMAND}\`, then this command again.`);
  return token;
}

function savedAccessToken(): string | undefined {
  const file = path.join(os.homedir(), '.convex', 'config.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { accessToken?: string }).accessToken || undefined;
  } catch {
    return undefined;
  }
}

export interface ConvexTeam {
  id: number;
  slug: string;
  name: string;
}

/** The user's teams, from the same account API the CLI uses. A refused login is bad input (exit 2). */
export async function listTeams(token: string, timeoutMs = 30_000): Promise<ConvexTeam[]> {
  let response: Response;
  try {
    response = await fetch(`${provisionHost()}/api/teams`, {
      headers: { Authorization: `Bearer ${token}`, 'Convex-Client': 'create-authkit-convex' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401 || response.status === 403) {
      throw new UsageError('Convex did not accept your saved login (it may have expired).', `Run \`${LOGIN_COMMAND}\` again, then this command again.`);
    }
    if (!response.ok) throw new Error(`Convex answered ${response.status} when listing teams`);
    return (await response.json()) as ConvexTeam[];
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw Object.assign(new Error(`could not reach Convex: ${(error as Error).message}`), {
      fix: 'Check your network connection, then run the same command again.',
    });
  }
}

/**
 * A dev deployment without pushing any code (env vars must exist first): in a new project, or in
 * `existing` one (a rerun after the project was created but its deployment was not).
 */
export async function provisionDeployment(
  projectDir: string,
  team: string,
  project: string,
  configure: 'new' | 'existing' = 'new',
  opts: Partial<RunOptions> = {},
) {
  return convex(projectDir, [
    'dev',
    '--once',
    '--configure',
    configure,
    '--team',
    team,
    '--project',
    project,
    '--dev-deployment',
    'cloud',
    '--skip-push',
  ], opts);
}

/** The project slug the CLI reports having created ("Created project <slug> …"), if it got that far. */
export function createdProjectSlug(output: string): string | undefined {
  return /Created project ([a-z0-9][a-z0-9-]*)/.exec(output)?.[1];
}

/** Dotenv text for the CLI's stdin: values never go in argv. */
export function dotenvText(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${formatEnvValue(v)}`)
    .join('\n') + '\n';
}

/** `--deployment prod`: the project's default production deployment instead of the dev one. */
type EnvTarget = Partial<RunOptions> & { deployment?: 'prod' };
const targetArgs = (deployment?: 'prod') => (deployment ? ['--deployment', deployment] : []);

/** Set every variable in one call, from stdin. */
export async function setDeploymentEnv(projectDir: string, vars: Record<string, string>, opts: EnvTarget = {}) {
  const { deployment, ...runOpts } = opts;
  return convex(projectDir, ['env', 'set', '--force', ...targetArgs(deployment)], { ...runOpts, input: dotenvText(vars) });
}

/** The deployment's variables (names and values; kept in memory, never printed). */
export async function listDeploymentEnv(projectDir: string, opts: EnvTarget = {}): Promise<Record<string, string>> {
  const { deployment, ...runOpts } = opts;
  // --include-values: the CLI prints names only when it thinks an AI agent runs it.
  // The output is never logged; the secret-looking values are registered before anything is shown.
  const secretsIn = (stdout: string) => Object.entries(dotenv.parse(stdout)).filter(([name]) => isSecretName(name)).map(([, value]) => value);
  const result = await convex(projectDir, ['env', 'list', '--include-values', ...targetArgs(deployment)], { ...runOpts, secretsIn });
  return dotenv.parse(result.rawStdout);
}

// ---- production (--add-production) ----

/** A call to the account API the CLI uses, with the CLI's login; a refused login is bad input (exit 2). */
async function accountApi<T>(what: string, route: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<T | undefined> {
  const token = accessToken();
  if (!token) throw new UsageError('You are not logged in to Convex.', `Run \`${LOGIN_COMMAND}\` once, then run this command again.`);
  let response: Response;
  try {
    response = await fetch(`${provisionHost()}${route}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Convex-Client': 'create-authkit-convex', 'Content-Type': 'application/json' },
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw Object.assign(new Error(`could not reach Convex (${what}): ${(error as Error).message}`), {
      fix: 'Check your network connection, then run the same command again: it resumes at this step.',
    });
  }
  if (response.status === 401 || response.status === 403) {
    throw new UsageError('Convex did not accept your saved login (it may have expired).', `Run \`${LOGIN_COMMAND}\` again, then this command again.`);
  }
  if (response.status === 404) return undefined;
  if (!response.ok) {
    throw Object.assign(new Error(`Convex answered ${response.status} when asked ${what}: ${(await response.text()).slice(0, 300)}`), {
      fix: 'Convex had a problem: run the same command again in a moment (it resumes at this step).',
    });
  }
  return (await response.json()) as T;
}

/** The project's default production deployment, if it has one (what `npx convex deploy` targets). */
export async function findDefaultProd(team: string, project: string, timeoutMs?: number): Promise<{ name: string; url: string } | undefined> {
  const route = `/v1/teams/${encodeURIComponent(team)}/projects/${encodeURIComponent(project)}/deployment?defaultProd=true`;
  const found = await accountApi<{ name: string; deploymentUrl: string }>('for the default production deployment', route, { timeoutMs });
  return found && { name: found.name, url: found.deploymentUrl };
}

/** The production deployment's public URLs, through its credentials (the admin key stays in memory). */
export async function prodUrls(devDeploymentName: string, timeoutMs?: number): Promise<{ name: string; url: string; siteUrl: string }> {
  const creds = await accountApi<{ adminKey: string; url: string; deploymentName: string }>('for the production deployment', '/api/deployment/authorize_prod', {
    method: 'POST',
    body: JSON.stringify({ deploymentName: devDeploymentName }),
    timeoutMs,
  });
  if (!creds) throw new Error('Convex found no production deployment for this project');
  addSecret(creds.adminKey);
  const urls = await canonicalUrls(creds.url, creds.adminKey, timeoutMs);
  return { name: creds.deploymentName, url: urls.convexCloudUrl, siteUrl: urls.convexSiteUrl };
}

/** `deployment create --type prod --default`: the project's production deployment, without any code. */
export async function createProdDeployment(projectDir: string, opts: Partial<RunOptions> = {}) {
  return convex(projectDir, ['deployment', 'create', '--type', 'prod', '--default'], opts);
}

/** `convex deploy` to the default production deployment (the app's copy: it bundles against the app's packages). */
export async function deployToProd(projectDir: string, opts: Partial<RunOptions> = {}) {
  const result = await convex(projectDir, ['deploy', '--yes'], { ...opts, appCopy: true });
  if (pushErrorLines(result.output)) throw new CommandFailedError('convex deploy (it reported an error)', result, false);
  return result;
}

/**
 * A deploy key for the default production deployment. Written by the CLI into a file of a private
 * temporary folder (never .env.local, which would point every later `npx convex` at prod), read, removed.
 */
export async function createProdDeployKey(projectDir: string, name: string, opts: Partial<RunOptions> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cak-key-'));
  try {
    const file = path.join(dir, 'deploy-key.env');
    await convex(projectDir, ['deployment', 'token', 'create', name, '--deployment', 'prod', '--save-env', file], opts);
    const key = dotenv.parse(await readFile(file, 'utf8')).CONVEX_DEPLOY_KEY;
    if (!key) throw new Error('the convex CLI saved no CONVEX_DEPLOY_KEY');
    addSecret(key);
    return key;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `convex dev --once` can report a failed push and still exit 0 (seen with a 401 from start_push, with
 * convex 1.49): its error lines start with ✖. A push that printed one did not happen.
 */
export function pushErrorLines(output: string): string | undefined {
  const errors = output.split('\n').filter((line) => line.startsWith('✖'));
  return errors.length > 0 ? errors.join('\n') : undefined;
}

/** Convex's own words for a missing variable, turned into the exact fix. */
export function diagnosePush(output: string): string | undefined {
  const missing = /Environment variable (\w+) is used in auth config file but its value was not set/i.exec(output) ??
    /AuthConfigMissingEnvironmentVariable[^\n]*?\b([A-Z][A-Z0-9_]+)\b/.exec(output);
  if (missing) {
    return `The deployment has no ${missing[1]}. Set it with \`npx convex env set ${missing[1]}\` (it asks for the value), or run this command again, which sets every variable it owns.`;
  }
  if (refusedCredentials(output)) return CREDENTIALS_FIX;
  return undefined;
}

/** The push, with a refusal explained: Convex's last lines and the fix they point to. */
export async function pushExplained(projectDir: string, opts: Partial<RunOptions> & PushOptions = {}) {
  try {
    return await push(projectDir, opts);
  } catch (error) {
    // 130: cancelled with Ctrl-C, not a rejection; a timeout is not one either: the pipeline reports both.
    if (error instanceof CommandFailedError && error.result.exitCode !== 130 && !error.timedOut) {
      const fix = diagnosePush(error.result.output);
      const tail = error.result.output.trim().split('\n').slice(-20).join('\n');
      throw Object.assign(new Error(`Convex rejected the push:\n${tail}`), {
        fix: fix ?? 'Fix the error above (in convex/), then run the same command again: it resumes at the push.',
      });
    }
    throw error;
  }
}

export interface PushOptions {
  /** Type-check convex/ before deploying (the CLI's `--typecheck`). Default: yes. */
  typecheck?: boolean;
}

/** The first push: codegen, typecheck (unless told not to), and deploy the functions. Fails on any reported error. */
export async function push(projectDir: string, { typecheck = true, ...opts }: Partial<RunOptions> & PushOptions = {}) {
  // A local anonymous deployment (--no-account): the CLI starts its backend at the pinned version.
  const local = isLocalDeployment(deploymentName(await readEnvFile(projectDir)));
  const args = ['dev', '--once', '--typecheck', typecheck ? 'enable' : 'disable', '--tail-logs', 'disable', ...(local ? LOCAL_BACKEND_ARGS : [])];
  const result = await convex(projectDir, args, { ...opts, appCopy: true, ...(local ? { env: { ...opts.env, ...ANONYMOUS_ENV } } : {}) });
  if (pushErrorLines(result.output)) throw new CommandFailedError('convex dev --once (it reported an error)', result, false);
  return result;
}

/** A deployment's public URLs, from the deployment itself (never built from its name). */
export async function canonicalUrls(url: string, adminKey: string, timeoutMs = 30_000): Promise<{ convexCloudUrl: string; convexSiteUrl: string }> {
  const response = await fetch(`${url.replace(/\/$/, '')}/api/v1/get_canonical_urls`, {
    headers: { Authorization: `Convex ${adminKey}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`The Convex deployment at ${url} answered ${response.status} for its canonical URLs`);
  return (await response.json()) as { convexCloudUrl: string; convexSiteUrl: string };
}
