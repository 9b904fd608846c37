/** The package manager: detection, "run a package's binary", install, and script names. */
import type { PackageManager } from '../options/schema.js';
import { run, type RunOptions } from './runner.js';

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
  return run(cmd, [...base, pkg, ...args], opts);
}

export async function install(pm: PackageManager, opts: RunOptions) {
  return run(pm, ['install'], opts);
}
