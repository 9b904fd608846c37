/**
 * The lockfile shipped with the CLI (templates/lockfiles/<manager>/): the pinned version map resolved
 * once, so the app's install skips resolution and every user gets exactly the tree the tests installed.
 * `npm run lockfiles` regenerates it; only npm has one so far (the other managers resolve as before).
 */
import path from 'node:path';
import fs from 'fs-extra';
import { isDeepStrictEqual } from 'node:util';
import type { PackageManager } from '../options/schema.js';
import { templatesDir } from '../files/render.js';
import { writeFileAtomic } from '../files/tree.js';

const LOCKFILE_NAMES: Partial<Record<PackageManager, string>> = { npm: 'package-lock.json' };

/** The fields of package.json the lockfile's root entry records: the set it resolves. */
export const LOCKED_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

export function shippedLockfilePath(pm: PackageManager): string | undefined {
  const name = LOCKFILE_NAMES[pm];
  return name && path.join(templatesDir(), 'lockfiles', pm, name);
}

interface PackageJson {
  name?: string;
  version?: string;
  [field: string]: unknown;
}

/** Whether the lockfile resolves exactly this package.json's dependencies (nothing more, nothing less). */
export function lockfileMatches(pkg: PackageJson, lock: { packages?: Record<string, PackageJson> }): boolean {
  const root = lock.packages?.[''];
  // overrides and workspaces change the tree in ways the root entry does not record.
  if (!root || pkg.overrides !== undefined || pkg.workspaces !== undefined) return false;
  return LOCKED_FIELDS.every((field) => isDeepStrictEqual(pkg[field] ?? {}, root[field] ?? {}));
}

/**
 * Puts the shipped lockfile into the project, named as its package.json, when it resolves exactly
 * that package.json and the project has no other lockfile (a user's own stays theirs). True: the
 * project can install with the manager's clean install (`npm ci`).
 */
export async function placeShippedLockfile(pm: PackageManager, projectDir: string): Promise<boolean> {
  const shipped = shippedLockfilePath(pm);
  if (!shipped || !(await fs.pathExists(shipped))) return false;
  const pkg: PackageJson = await fs.readJson(path.join(projectDir, 'package.json'));
  const lock = await fs.readJson(shipped);
  if (!lockfileMatches(pkg, lock)) return false;
  lock.name = pkg.name;
  lock.version = pkg.version;
  lock.packages[''] = { ...lock.packages[''], name: pkg.name, version: pkg.version };
  const text = JSON.stringify(lock, null, 2) + '\n';
  const target = path.join(projectDir, path.basename(shipped));
  const existing = await fs.readFile(target, 'utf8').catch(() => undefined);
  // A rerun after a failed install finds ours again; anything else is not ours to replace.
  if (existing !== undefined && existing !== text) return false;
  await writeFileAtomic(target, text);
  return true;
}
