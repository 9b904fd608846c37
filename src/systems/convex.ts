/**
 * The Convex CLI at the pinned version, with our Node: our own copy provisions and sets variables
 * (so that it can while the app's install runs), the app's own copy pushes (it bundles against the
 * app's packages).
 * One place points it elsewhere: CONVEX_PROVISION_HOST / CONVEX_OVERRIDE_ACCESS_TOKEN (cloud) or
 * CONVEX_SELF_HOSTED_URL / CONVEX_SELF_HOSTED_ADMIN_KEY (self-hosted), which it reads itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { formatEnvValue } from '../files/env-file.js';
import { addSecret, isSecretName } from '../secrets.js';
import { CommandFailedError, run, type RunOptions } from './runner.js';

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
    ...runOpts,
  });
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

/** The user's teams, from the same account API the CLI uses. */
export async function listTeams(token: string, timeoutMs = 30_000): Promise<ConvexTeam[]> {
  const response = await fetch(`${provisionHost()}/api/teams`, {
    headers: { Authorization: `Bearer ${token}`, 'Convex-Client': 'create-authkit-convex' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status === 401 || response.status === 403) throw Object.assign(new Error('Convex rejected the saved login'), { status: response.status });
  if (!response.ok) throw new Error(`Convex answered ${response.status} when listing teams`);
  return (await response.json()) as ConvexTeam[];
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

/** Set every variable in one call, from stdin. */
export async function setDeploymentEnv(projectDir: string, vars: Record<string, string>, opts: Partial<RunOptions> = {}) {
  return convex(projectDir, ['env', 'set', '--force'], { ...opts, input: dotenvText(vars) });
}

/** The deployment's variables (names and values; kept in memory, never printed). */
export async function listDeploymentEnv(projectDir: string, opts: Partial<RunOptions> = {}): Promise<Record<string, string>> {
  // --include-values: the CLI prints names only when it thinks an AI agent runs it.
  // The output is never logged; the secret-looking values are registered before anything is shown.
  const secretsIn = (stdout: string) => Object.entries(dotenv.parse(stdout)).filter(([name]) => isSecretName(name)).map(([, value]) => value);
  const result = await convex(projectDir, ['env', 'list', '--include-values'], { ...opts, secretsIn });
  return dotenv.parse(result.rawStdout);
}

/**
 * `convex dev --once` can report a failed push and still exit 0 (seen with a 401 from start_push, with
 * convex 1.49): its error lines start with ✖. A push that printed one did not happen.
 */
export function pushErrorLines(output: string): string | undefined {
  const errors = output.split('\n').filter((line) => line.startsWith('✖'));
  return errors.length > 0 ? errors.join('\n') : undefined;
}

/** The first push: codegen, typecheck, and deploy the functions. Fails on any reported error. */
export async function push(projectDir: string, opts: Partial<RunOptions> = {}) {
  const result = await convex(projectDir, ['dev', '--once', '--typecheck', 'enable', '--tail-logs', 'disable'], { ...opts, appCopy: true });
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
