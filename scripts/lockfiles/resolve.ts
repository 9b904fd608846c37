/** One package manager resolving a project into its lockfile, made free of registry addresses. */
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { LOCKFILE_NAMES, type LockfileKind } from '../../src/systems/lockfile.js';
import { hostNeutralYarn1, registryUrlsIn } from './host-neutral.js';

export type OtherKind = Exclude<LockfileKind, 'npm'>;

/** How each manager resolves without installing (yarn 1 has no such mode: it installs, scripts off). */
export const RESOLVE: Record<OtherKind, { pm: 'pnpm' | 'yarn' | 'bun'; args: string[] }> = {
  pnpm: { pm: 'pnpm', args: ['install', '--lockfile-only', '--ignore-scripts'] },
  yarn1: { pm: 'yarn', args: ['install', '--ignore-scripts', '--non-interactive', '--no-progress'] },
  // --no-immutable: under CI=true yarn 2+ refuses to write a lockfile.
  yarn4: { pm: 'yarn', args: ['install', '--mode=update-lockfile', '--no-immutable'] },
  bun: { pm: 'bun', args: ['install', '--lockfile-only', '--ignore-scripts'] },
};

/**
 * Runs the manager in `dir` (its settings already written) with `env` (its PATH and registry) and
 * returns the lockfile's text without registry addresses; throws if one is left.
 */
export async function resolveLockfile(kind: OtherKind, dir: string, env: Record<string, string>, registry: string, verbose = false): Promise<string> {
  const { pm, args } = RESOLVE[kind];
  await execa(pm, args, { cwd: dir, env: { ...env, CI: 'true' }, stdio: verbose ? 'inherit' : 'pipe' });
  let text = await fs.readFile(path.join(dir, LOCKFILE_NAMES[kind]), 'utf8');
  // yarn 1 writes each tarball's full URL; a path relative to the registry is fetched from the user's.
  if (kind === 'yarn1') text = hostNeutralYarn1(text, [registry, 'https://registry.yarnpkg.com/', 'https://registry.npmjs.org/']);
  const urls = registryUrlsIn(text);
  if (urls.length > 0) throw new Error(`${kind}: the lockfile names where ${urls.length} packages came from (${urls[0]}): it must not`);
  return text;
}
