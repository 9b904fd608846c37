/** The package manager: detection, "run a package's binary", install, and script names. */
import path from 'node:path';
import fs from 'fs-extra';
import type { PackageManager } from '../options/schema.js';
import { writeFileAtomic } from '../files/tree.js';
import { dependencyBuilds } from '../versions.js';
import { CommandFailedError, run, type RunOptions } from './runner.js';

/**
 * The manager that launched us: `npm create`, `pnpm create`, `yarn create`, `bun create` (and npx, pnpm
 * dlx, yarn dlx, bunx) set `npm_config_user_agent`, e.g. `pnpm/12.21.0 npm/? node/? linux x64`.
 */
export function detectPackageManager(env: NodeJS.ProcessEnv): PackageManager {
  const agent = env.npm_config_user_agent ?? '';
  for (const pm of ['pnpm', 'yarn', 'bun'] as const) if (agent.startsWith(`${pm}/`)) return pm;
  return 'npm';
}

/** The version the user agent names for this manager (`yarn/4.18.1 …` → `4.18.1`), if it names it. */
export function agentVersion(pm: PackageManager, env: NodeJS.ProcessEnv): string | undefined {
  return new RegExp(`^${pm}/(\\d+\\.\\d+\\.\\d+\\S*)`).exec(env.npm_config_user_agent ?? '')?.[1];
}

/**
 * The version of each manager in use, once `isAvailable` has asked (the user agent wins: under
 * corepack, `yarn --version` outside a project may name another yarn than the one that ran us).
 */
const versions = new Map<PackageManager, string>();

export function managerVersion(pm: PackageManager): string | undefined {
  return versions.get(pm) ?? agentVersion(pm, process.env);
}

/** yarn 2+ ("Berry") has `yarn dlx` and .yarnrc.yml; yarn 1 ("classic") has neither. */
export function isBerry(pm: PackageManager, version = managerVersion(pm)): boolean {
  return pm === 'yarn' && Number(version?.split('.')[0] ?? 1) >= 2;
}

/** How to run a package binary without installing it globally: `npx --yes`, `pnpm dlx`, … */
export function execCommand(pm: PackageManager, berry = isBerry(pm)): [string, string[]] {
  switch (pm) {
    case 'npm':
      // --yes: never stop at "Need to install the following packages" (and some machines default to no).
      return ['npx', ['--yes']];
    case 'pnpm':
      return ['pnpm', ['dlx']];
    case 'yarn':
      // yarn 1 has no dlx; npx comes with the Node.js that yarn 1 runs on.
      return berry ? ['yarn', ['dlx']] : ['npx', ['--yes']];
    case 'bun':
      return ['bunx', []];
  }
}

/** The text a user types to run a script, e.g. `npm run dev`; `bun test` would start Bun's own test runner. */
export function runScript(pm: PackageManager): string {
  return pm === 'npm' || pm === 'bun' ? `${pm} run` : pm;
}

/** The text a user types to run a one-off package, e.g. `pnpm dlx create-authkit-convex`. */
export function execText(pm: PackageManager, berry = isBerry(pm)): string {
  const [cmd, args] = execCommand(pm, berry);
  return [cmd, ...args.filter((a) => a !== '--yes')].join(' ');
}

/** The text a user types to run a binary the project installed, e.g. `pnpm exec convex`. */
export function binText(pm: PackageManager): string {
  return { npm: 'npx', pnpm: 'pnpm exec', yarn: 'yarn', bun: 'bunx' }[pm];
}

export async function isAvailable(pm: PackageManager, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  try {
    const { stdout } = await run(pm, ['--version'], { cwd, timeoutMs: 15_000 });
    versions.set(pm, agentVersion(pm, env) ?? stdout.trim());
    return true;
  } catch {
    return false;
  }
}

export async function execPackage(pm: PackageManager, pkg: string, args: string[], opts: RunOptions) {
  const [cmd, base] = execCommand(pm);
  return run(cmd, [...base, pkg, ...args], opts).catch(withRegistryFix);
}

/**
 * Lets the install run the build scripts the app needs and no others, the way each manager expects
 * (pnpm and bun block dependencies' build scripts unless listed; yarn Berry runs them all unless told),
 * and pins yarn so that corepack runs the same yarn in the project as the one that created it.
 */
export async function configureProject(pm: PackageManager, dir: string): Promise<void> {
  const allowed = Object.entries(dependencyBuilds).filter(([, built]) => built).map(([name]) => name);
  const file = path.join(dir, 'package.json');
  const pkg = await fs.readJson(file);
  const workspace = pm === 'pnpm' ? pnpmBuildSettings(managerVersion(pm)) : undefined;
  // create-next-app writes pnpm-workspace.yaml with its own entries (sharp and unrs-resolver off).
  if (workspace) await writeFileAtomic(path.join(dir, 'pnpm-workspace.yaml'), workspace);
  if (pm === 'bun') pkg.trustedDependencies = allowed;
  if (pm === 'yarn') {
    const version = managerVersion(pm);
    if (version) pkg.packageManager = `yarn@${version}`;
  }
  if (isBerry(pm)) {
    // node_modules, as Next.js and the convex CLI expect (not Plug'n'Play); no build script unless listed.
    pkg.dependenciesMeta = Object.fromEntries(Object.entries(dependencyBuilds).map(([name, built]) => [name, { built }]));
    await writeFileAtomic(path.join(dir, '.yarnrc.yml'), 'nodeLinker: node-modules\nenableScripts: false\n');
  }
  await writeFileAtomic(file, JSON.stringify(pkg, null, 2) + '\n');
}

/**
 * pnpm-workspace.yaml for the installed pnpm: 11+ has one map, `allowBuilds`; 10 has an allow-list and
 * a list of the scripts it may skip without failing; 9 and older run every script.
 */
export function pnpmBuildSettings(version: string | undefined): string | undefined {
  const major = Number(version?.split('.')[0] ?? 11);
  const entries = Object.entries(dependencyBuilds);
  if (major >= 11) return `allowBuilds:\n${entries.map(([name, built]) => `  ${name}: ${built}\n`).join('')}`;
  if (major < 10) return undefined;
  const list = (built: boolean) => entries.filter(([, b]) => b === built).map(([name]) => `  - ${name}\n`).join('');
  return `onlyBuiltDependencies:\n${list(true)}ignoredBuiltDependencies:\n${list(false)}`;
}

export async function install(pm: PackageManager, opts: RunOptions) {
  return run(pm, installArgs(pm), opts).catch(withRegistryFix);
}

/** Installs exactly the project's lockfile, resolving nothing (`npm ci`, `pnpm install --frozen-lockfile`, …). */
export async function cleanInstall(pm: PackageManager, opts: RunOptions) {
  return run(pm, cleanInstallArgs(pm), opts).catch(withRegistryFix);
}

/** Each manager's frozen install: it fails rather than change the lockfile. */
export function cleanInstallArgs(pm: PackageManager, berry = isBerry(pm)): string[] {
  if (pm === 'npm') return ['ci', '--no-audit', '--no-fund'];
  return ['install', berry ? '--immutable' : '--frozen-lockfile'];
}

export function installArgs(pm: PackageManager, berry = isBerry(pm)): string[] {
  // npm: the audit is one more registry round trip per install (`npm audit` runs it on demand).
  if (pm === 'npm') return ['install', '--no-audit', '--no-fund'];
  // yarn 2+ installs "immutable" under CI=true, refusing to write the new project's lockfile.
  if (berry) return ['install', '--no-immutable'];
  return ['install'];
}


/** npm's words for "the package registry failed", turned into what to do about it. */
export function registryFix(output: string): string | undefined {
  const resume = 'then run the same command again: it resumes at this step.';
  if (/\b(E401|E403)\b/.test(output)) {
    return `The package registry refused your credentials. Check the registry's auth token in your .npmrc (\`npm login\`; \`npm config get registry\` shows which registry), ${resume}`;
  }
  if (/\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|FETCH_ERROR|E50[0-4])\b|network timeout/.test(output)) {
    return `The package registry did not answer properly. Check your network connection and proxy (\`npm config get registry\` shows where npm looks), ${resume}`;
  }
  return undefined;
}

function withRegistryFix(error: unknown): never {
  if (error instanceof CommandFailedError && !error.timedOut) error.fix ??= registryFix(error.result.output);
  throw error;
}
