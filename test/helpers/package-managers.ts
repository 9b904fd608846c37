/**
 * pnpm, yarn 1, yarn 4 (through corepack) and bun, installed from the npm registry into the repo's own
 * `.tools/pm/` (never globally), and the environment that makes a CLI run use one of them as if the
 * user had typed `pnpm create authkit-convex` (their PATH and the user agent the manager really sets).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { repoRoot } from './cli.js';

/** The versions under test: the current major of each. */
export const MANAGER_VERSIONS = { pnpm: '12.21.0', yarn1: '1.22.22', yarn4: '4.18.1', bun: '1.4.5', corepack: '0.36.0' };

export type ManagerCase = 'pnpm' | 'yarn1' | 'yarn4' | 'bun';

const tools = path.join(repoRoot, '.tools', 'pm');
/** Each manager's download cache, kept between runs like npm's own (the world's HOME is new each time). */
const caches = path.join(tools, 'cache');

async function npmInstall(prefix: string, packages: string[]): Promise<void> {
  const stamp = path.join(prefix, 'installed.json');
  if ((await fs.readJson(stamp).catch(() => undefined))?.join() === packages.join()) return;
  await fs.remove(prefix);
  await execa('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...packages]);
  await fs.writeJson(stamp, packages);
}

let installed: Promise<void> | undefined;
/** pnpm, yarn 1 and bun in one folder; corepack in another (it brings `yarn` and `pnpm` shims of its own). */
export function installManagers(): Promise<void> {
  installed ??= (async () => {
    const v = MANAGER_VERSIONS;
    await npmInstall(path.join(tools, 'main'), [`pnpm@${v.pnpm}`, `yarn@${v.yarn1}`, `bun@${v.bun}`]);
    await npmInstall(path.join(tools, 'corepack'), [`corepack@${v.corepack}`]);
    // Corepack keeps the yarn releases it downloads here; the repo's "type": "module" must not apply to them.
    await fs.outputJson(path.join(tools, 'package.json'), { type: 'commonjs' });
    await fs.ensureDir(path.join(tools, 'berry'));
    await execa(path.join(tools, 'corepack/node_modules/.bin/corepack'), ['enable', '--install-directory', path.join(tools, 'berry'), 'yarn']);
  })();
  return installed;
}

async function npmRegistry(): Promise<string> {
  return (await execa('npm', ['config', 'get', 'registry'])).stdout.trim().replace(/\/?$/, '/');
}

/** PATH and settings for one manager, without the user agent. */
async function baseEnv(which: ManagerCase): Promise<Record<string, string>> {
  const registry = await npmRegistry();
  const bin = which === 'yarn4' ? path.join(tools, 'berry') : path.join(tools, 'main/node_modules/.bin');
  return {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    // Every manager fetches from the registry npm is configured with.
    npm_config_registry: registry,
    YARN_REGISTRY: registry,
    YARN_NPM_REGISTRY_SERVER: registry.replace(/\/$/, ''),
    BUN_CONFIG_REGISTRY: registry,
    // pnpm 12 reads its settings from pnpm_config_* only: without these it used a new store in each
    // world's HOME (a cold install every time) and its own default registry.
    pnpm_config_registry: registry,
    pnpm_config_store_dir: path.join(caches, 'pnpm-store'),
    // pnpm 12 may resolve its own pin (`@pnpm/exe` for every platform) to record it in the lockfile;
    // the registry these tests use has no `@pnpm/exe.netbsd-x64`, which failed CI runs' install and
    // build (ERR_PNPM_BAD_CONFIG_DEP). Users' registries serve it; here the pin is not checked.
    // pnpm 12 reads this setting from pnpm_config_* only (npm_config_pm_on_fail is ignored).
    pnpm_config_pm_on_fail: 'ignore',
    YARN_CACHE_FOLDER: path.join(caches, 'yarn1'),
    YARN_GLOBAL_FOLDER: path.join(caches, 'yarn4'),
    BUN_INSTALL_CACHE_DIR: path.join(caches, 'bun'),
    YARN_ENABLE_TELEMETRY: '0',
    // Corepack fetches yarn 4 from the npm registry (not its own host), without asking, and does not
    // look up "the latest yarn" (whose signature a registry mirror may not carry).
    COREPACK_HOME: path.join(tools, 'corepack-home'),
    COREPACK_NPM_REGISTRY: registry.replace(/\/$/, ''),
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    COREPACK_DEFAULT_TO_LATEST: '0',
    COREPACK_ENABLE_AUTO_PIN: '0',
  };
}

/** The user agent the manager really sets for the scripts it runs (asked of it, not written down). */
async function userAgent(which: ManagerCase, env: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cak-ua-'));
  const pkg: Record<string, unknown> = { name: 'ua', private: true, scripts: { ua: 'node -p process.env.npm_config_user_agent' } };
  if (which === 'yarn4') pkg.packageManager = `yarn@${MANAGER_VERSIONS.yarn4}`;
  await fs.writeJson(path.join(dir, 'package.json'), pkg);
  // bun keeps a user agent it inherits (this test runner's npm's): ask as from a plain shell.
  const opts = { cwd: dir, env: { ...env, npm_config_user_agent: undefined }, extendEnv: true };
  const cmd = which === 'yarn1' || which === 'yarn4' ? 'yarn' : which;
  // Under CI=true yarn 2+ installs "immutable" and refuses to write this new folder's lockfile.
  if (which === 'yarn4') await execa(cmd, ['install', '--no-immutable'], opts);
  const { stdout } = await execa(cmd, ['run', '--silent', 'ua'], opts);
  await fs.remove(dir);
  return stdout.trim().split('\n').pop()!;
}

/** Everything a CLI run needs to behave as if `<manager> create authkit-convex` had started it. */
export async function managerEnv(which: ManagerCase): Promise<Record<string, string>> {
  await installManagers();
  const env = await baseEnv(which);
  return { ...env, npm_config_user_agent: await userAgent(which, env) };
}
