/**
 * The convex CLI's local anonymous deployment (--no-account): made by `npx convex dev` itself with
 * CONVEX_AGENT_MODE=anonymous (no login, no prompt), at the pinned local backend version.
 *
 * `convex env set`/`env list` refuse a local deployment whose backend is not running, and
 * `convex dev --once` (1.49) starts the backend and exits without stopping it (its cleanups do not
 * run on a normal exit), while the next `convex dev --once` refuses to start while one runs on the
 * port. So every CLI call that starts it is reaped (runner `reapGroup`: its process group), and the
 * steps that set variables hold the backend up themselves (`withLocalBackend`): started from the
 * deployment's own config the way the CLI starts it (lib/localDeployment/run.js), stopped when done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEnvFile } from '../files/env-file.js';
import { CONVEX_LOCAL_BACKEND_VERSION } from '../versions.js';
import { convex, deploymentName } from './convex.js';
import type { RunOptions } from './runner.js';

/** `anonymous:<name>` (no account) or `local:<name>` (a local deployment of a project). */
export const isLocalDeployment = (deployment: string | undefined) => /^(anonymous|local):/.test(deployment ?? '');

/** The arguments and variables every convex CLI call on a local anonymous deployment needs. */
export const LOCAL_BACKEND_ARGS = ['--local-backend-version', CONVEX_LOCAL_BACKEND_VERSION];
export const ANONYMOUS_ENV = { CONVEX_AGENT_MODE: 'anonymous' };

/**
 * A new local anonymous deployment, without pushing (variables come first). The CLI writes
 * CONVEX_DEPLOYMENT=anonymous:…, NEXT_PUBLIC_CONVEX_URL and NEXT_PUBLIC_CONVEX_SITE_URL to .env.local.
 * No login is read: the token variable is dropped, so a logged-in shell still gets an anonymous one.
 */
export async function provisionAnonymous(projectDir: string, opts: Partial<RunOptions> = {}) {
  return convex(projectDir, ['dev', '--once', '--skip-push', ...LOCAL_BACKEND_ARGS], {
    ...opts,
    reapGroup: true,
    env: { ...opts.env, ...ANONYMOUS_ENV, CONVEX_OVERRIDE_ACCESS_TOKEN: undefined },
  });
}

interface LocalConfig {
  ports: { cloud: number; site: number };
  backendVersion: string;
  instanceSecret: string;
  deploymentName?: string;
}

/** Where the CLI keeps a project's local deployment (1.49: `.convex/local/default/`). */
const stateDir = (projectDir: string) => path.join(projectDir, '.convex', 'local', 'default');

function readConfig(projectDir: string): LocalConfig | undefined {
  const file = path.join(stateDir(projectDir), 'config.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LocalConfig;
}

/** The CLI's folder name: `convex`, or `convex-test[-<port>]` when CONVEX_PROVISION_HOST points it elsewhere. */
function convexName(): string {
  const host = process.env.CONVEX_PROVISION_HOST;
  if (!host) return 'convex';
  const port = host.split(':')[2];
  return port === undefined || port === '8050' ? 'convex-test' : `convex-test-${port}`;
}

/** The binary the CLI downloaded for a version (its cache: lib/utils/utils.js `cacheDir`). */
function binaryPath(version: string): string {
  const cache =
    process.platform === 'win32'
      ? path.join(process.env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), convexName())
      : path.join(os.homedir(), '.cache', convexName());
  return path.join(cache, 'binaries', version, process.platform === 'win32' ? 'convex-local-backend.exe' : 'convex-local-backend');
}

async function instanceName(port: number): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/instance_name`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` with the project's local backend running (started here unless it already runs, e.g.
 * `npm run dev` in another terminal), then stops what it started. Not a local deployment: just `fn`.
 */
export async function withLocalBackend<T>(projectDir: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deployment = deploymentName(await readEnvFile(projectDir));
  if (!isLocalDeployment(deployment)) return fn();
  const name = deployment!.replace(/^[a-z]+:/, '');
  const config = readConfig(projectDir);
  if (!config) throw new Error(`.env.local names the local deployment ${name}, but ${path.join('.convex', 'local', 'default', 'config.json')} is missing`);
  if ((await instanceName(config.ports.cloud)) === name) return fn();
  const child = startBackend(projectDir, name, config);
  try {
    await waitUntilUp(child, config.ports.cloud, name, timeoutMs);
    return await fn();
  } finally {
    await stopBackend(child);
  }
}

/** The same arguments the convex CLI 1.49 gives it (the instance secret too: it takes it no other way). */
function startBackend(projectDir: string, name: string, config: LocalConfig): ChildProcess {
  const dir = stateDir(projectDir);
  const binary = binaryPath(config.backendVersion);
  if (!existsSync(binary)) throw new Error(`the Convex local backend ${config.backendVersion} is not in the convex CLI's cache (${binary})`);
  const args = [
    '--port', String(config.ports.cloud),
    '--site-proxy-port', String(config.ports.site),
    '--instance-name', name,
    '--instance-secret', config.instanceSecret,
    '--local-storage', path.join(dir, 'convex_local_storage'),
    path.join(dir, 'convex_local_backend.sqlite3'),
  ];
  return spawn(binary, args, { stdio: 'ignore', cwd: projectDir });
}

async function waitUntilUp(child: ChildProcess, port: number, name: string, timeoutMs: number): Promise<void> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (gone !== undefined) throw new Error(`the Convex local backend exited (code ${gone}) before answering on port ${port}`);
    if ((await instanceName(port)) === name) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Convex local backend did not answer on port ${port} within ${Math.round(timeoutMs / 1000)} s`);
}

async function stopBackend(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
