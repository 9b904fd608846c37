/** Checks made before any work starts, so a bad input never leaves anything half-done. */
import path from 'node:path';
import fs from 'fs-extra';
import validateName from 'validate-npm-package-name';
import { UsageError } from '../errors.js';
import { LOCK_FILE } from '../lock.js';
import { MANIFEST_FILE } from '../manifest.js';
import { isAvailable } from '../systems/package-manager.js';
import type { Options } from './schema.js';

export type DirectoryState = 'absent' | 'empty' | 'ours';

/** The target must be absent, empty, or a project of ours (then the run resumes). */
export async function checkDirectory(projectDir: string): Promise<DirectoryState> {
  if (!(await fs.pathExists(projectDir))) return 'absent';
  const stat = await fs.stat(projectDir);
  if (!stat.isDirectory()) {
    throw new UsageError(`${projectDir} exists and is a file.`, 'Choose another project directory.');
  }
  // This run's own lock (lock.ts) does not count.
  const entries = (await fs.readdir(projectDir)).filter((e) => e !== LOCK_FILE);
  if (entries.length === 0) return 'empty';
  if (entries.includes(MANIFEST_FILE)) return 'ours';
  throw new UsageError(
    `The directory ${projectDir} is not empty.`,
    'Choose a new directory name, or empty that directory first. (To add features to a project made by this tool, run inside it with --add-webhooks or --add-sso.)',
  );
}

export function checkPackageName(projectDir: string): void {
  const name = path.basename(projectDir);
  const result = validateName(name);
  if (!result.validForNewPackages) {
    const problems = [...(result.errors ?? []), ...(result.warnings ?? [])];
    throw new UsageError(
      `"${name}" cannot be the name of an npm package: ${problems.join('; ')}.`,
      'Choose a directory name in lower case, without spaces (for example my-app).',
    );
  }
}

export async function checkPackageManager(options: Options, cwd: string): Promise<void> {
  if (!(await isAvailable(options.packageManager, cwd))) {
    throw new UsageError(
      `The package manager "${options.packageManager}" is not installed or not on PATH.`,
      `Install it, or pass --package-manager npm.`,
    );
  }
}

/** Why a directory is not a project of ours, and what a hand-made one lacks. */
export async function explainNotOurs(dir: string): Promise<string> {
  const pkgFile = path.join(dir, 'package.json');
  if (!(await fs.pathExists(pkgFile))) return `${dir} is not a project made by create-authkit-convex (no ${MANIFEST_FILE}, no package.json).`;
  const pkg = await fs.readJson(pkgFile).catch(() => ({}));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const lacks = ['next', 'convex', '@workos-inc/authkit-nextjs'].filter((d) => !deps[d]);
  return (
    `${dir} was not made by create-authkit-convex (it has no ${MANIFEST_FILE}), so features cannot be added safely.` +
    (lacks.length ? ` It also lacks ${lacks.join(', ')}.` : ' It looks like a hand-made Next.js + Convex + AuthKit project: compare it with a fresh `npx create-authkit-convex` project instead.')
  );
}
