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

/**
 * What create-next-app accepts in a target folder (its is-folder-empty list): version control,
 * editor and OS files, a licence, docs. Anything else makes the folder "not empty".
 */
const TOLERATED = new Set([
  '.DS_Store', '.git', '.gitattributes', '.gitignore', '.gitlab-ci.yml', '.hg', '.hgcheck', '.hgignore', '.idea',
  '.npmignore', '.travis.yml', 'LICENSE', 'Thumbs.db', 'docs', 'mkdocs.yml', 'npm-debug.log', 'yarn-debug.log',
  'yarn-error.log', 'yarnrc.yml', '.yarn',
]);
const tolerated = (entry: string) => TOLERATED.has(entry) || entry.endsWith('.iml');

/**
 * The target must be absent (its missing parents are created, as create-next-app does), empty but for
 * tolerated files, or a project of ours (then the run resumes).
 */
export async function checkDirectory(projectDir: string): Promise<DirectoryState> {
  if (!(await fs.pathExists(projectDir))) {
    await checkCanCreate(projectDir);
    return 'absent';
  }
  const stat = await fs.stat(projectDir);
  if (!stat.isDirectory()) {
    throw new UsageError(`${projectDir} exists and is a file.`, 'Choose another project directory.');
  }
  // A run's lock (lock.ts) does not count: a live one was refused before this check.
  const entries = (await fs.readdir(projectDir)).filter((e) => e !== LOCK_FILE);
  if (entries.includes(MANIFEST_FILE)) return 'ours';
  const conflicts = entries.filter((e) => !tolerated(e));
  if (conflicts.length === 0) return 'empty';
  throw new UsageError(
    `The directory ${projectDir} is not empty: it holds ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ', …' : ''}.`,
    'Choose a new directory name, or empty that directory first (a .git folder, .gitignore, LICENSE or docs may stay). (To add features to a project made by this tool, run inside it with --add-webhooks or --add-sso.)',
  );
}

/** The nearest existing ancestor must be a folder we may write in, or creating the parents fails later. */
async function checkCanCreate(projectDir: string): Promise<void> {
  let ancestor = path.dirname(projectDir);
  while (!(await fs.pathExists(ancestor)) && path.dirname(ancestor) !== ancestor) ancestor = path.dirname(ancestor);
  if (!(await fs.stat(ancestor)).isDirectory()) {
    throw new UsageError(`${projectDir} cannot be created: ${ancestor} is a file, not a folder.`, 'Choose a project directory whose parent folders are folders.');
  }
  try {
    await fs.access(ancestor, fs.constants.W_OK);
  } catch {
    throw new UsageError(`${projectDir} cannot be created: ${ancestor} is not writable.`, 'Choose a project directory in a folder you can write to.');
  }
}

/** Why a folder's name cannot be a package name, or undefined (for the directory prompt). */
export function packageNameProblem(name: string): string | undefined {
  const result = validateName(name);
  if (result.validForNewPackages) return undefined;
  return `"${name}" cannot be the name of an npm package: ${[...(result.errors ?? []), ...(result.warnings ?? [])].join('; ')}.`;
}

export function checkPackageName(projectDir: string): void {
  const problem = packageNameProblem(path.basename(projectDir));
  if (problem) throw new UsageError(problem, 'Choose a directory name in lower case, without spaces (for example my-app).');
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
