/** The package manager: detection, "run a package's binary", install, and script names. */
import type { PackageManager } from '../options/schema.js';
import { CommandFailedError, run, type RunOptions } from './runner.js';

/** The manager that launched us (`npm_config_user_agent` is set by npx, pnpm dlx, yarn dlx, bunx). */
export function detectPackageManager(env: NodeJS.ProcessEnv): PackageManager {
  const agent = env.npm_config_user_agent ?? '';
  for (const pm of ['pnpm', 'yarn', 'bun'] as const) if (agent.startsWith(pm)) return pm;
  return 'npm';
}

/** How to run a package binary without installing it globally: `npx --yes`, `pnpm dlx`, … */
export function execCommand(pm: PackageManager): [string, string[]] {
  switch (pm) {
    case 'npm':
      // --yes: never stop at "Need to install the following packages" (and some machines default to no).
      return ['npx', ['--yes']];
    case 'pnpm':
      return ['pnpm', ['dlx']];
    case 'yarn':
      return ['yarn', ['dlx']];
    case 'bun':
      return ['bunx', []];
  }
}

/** The text a user types to run a script, e.g. `npm run dev`. */
export function runScript(pm: PackageManager): string {
  return pm === 'npm' ? 'npm run' : pm;
}

export function execText(pm: PackageManager): string {
  const [cmd, args] = execCommand(pm);
  return [cmd, ...args.filter((a) => a !== '--yes')].join(' ');
}

export async function isAvailable(pm: PackageManager, cwd: string): Promise<boolean> {
  try {
    await run(pm, ['--version'], { cwd, timeoutMs: 15_000 });
    return true;
  } catch {
    return false;
  }
}

export async function execPackage(pm: PackageManager, pkg: string, args: string[], opts: RunOptions) {
  const [cmd, base] = execCommand(pm);
  return run(cmd, [...base, pkg, ...args], opts).catch(withRegistryFix);
}

export async function install(pm: PackageManager, opts: RunOptions) {
  // npm: the audit is one more registry round trip per install (`npm audit` runs it on demand).
  const args = pm === 'npm' ? ['install', '--no-audit', '--no-fund'] : ['install'];
  return run(pm, args, opts).catch(withRegistryFix);
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
