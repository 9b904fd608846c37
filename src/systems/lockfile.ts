/**
 * The lockfiles shipped with the CLI (templates/lockfiles/<kind>/): the pinned version map resolved
 * once by each package manager, so the app's install skips resolution and every user gets exactly the
 * tree the tests installed. `npm run lockfiles` regenerates them. None names a registry: each manager
 * fetches from the one its user configured, checked against the recorded integrity.
 */
import path from 'node:path';
import fs from 'fs-extra';
import { isDeepStrictEqual } from 'node:util';
import type { PackageManager } from '../options/schema.js';
import { templatesDir } from '../files/render.js';
import { writeFileAtomic } from '../files/tree.js';
import { isBerry, managerVersion } from './package-manager.js';

/** One shipped lockfile per format: yarn 1 and yarn 2+ ("Berry") write different ones. */
export type LockfileKind = 'npm' | 'pnpm' | 'yarn1' | 'yarn4' | 'bun';

export const LOCKFILE_NAMES: Record<LockfileKind, string> = {
  npm: 'package-lock.json',
  pnpm: 'pnpm-lock.yaml',
  yarn1: 'yarn.lock',
  yarn4: 'yarn.lock',
  bun: 'bun.lock',
};

/**
 * Which versions of the manager may install from the lockfile it wrote, without rewriting it (which
 * their frozen mode refuses): pnpm's and yarn 1's formats hold across a major; yarn Berry and bun have
 * raised their lockfile's version within a major, so only the same minor is sure to read it unchanged.
 */
const COMPATIBLE: Record<Exclude<LockfileKind, 'npm'>, 'major' | 'minor'> = { pnpm: 'major', yarn1: 'major', yarn4: 'minor', bun: 'minor' };

/** The fields of package.json the lockfile's root entry records: the set it resolves. */
export const LOCKED_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * What else in package.json a manager's lockfile depends on (yarn Berry records `dependenciesMeta`,
 * bun `trustedDependencies`; overrides, resolutions and workspaces change the tree).
 */
export const MATCHED_FIELDS = [...LOCKED_FIELDS, 'overrides', 'resolutions', 'workspaces', 'dependenciesMeta', 'trustedDependencies'] as const;

/**
 * `resolves.json` beside each lockfile but npm's (whose root entry says it): the manager and version
 * that wrote it, the app name it was written for, and the package.json fields it resolves.
 */
export interface LockRecord {
  manager: string;
  name: string;
  fields: Record<string, unknown>;
}

export function lockfileKind(pm: PackageManager, version = managerVersion(pm)): LockfileKind | undefined {
  if (pm !== 'yarn') return pm;
  if (!isBerry(pm, version)) return 'yarn1';
  return version?.startsWith('4.') ? 'yarn4' : undefined;
}

export function shippedLockfilePath(kind: LockfileKind): string {
  return path.join(templatesDir(), 'lockfiles', kind, LOCKFILE_NAMES[kind]);
}

export function lockRecordPath(kind: LockfileKind): string {
  return path.join(templatesDir(), 'lockfiles', kind, 'resolves.json');
}

/** The fields of `pkg` a lockfile depends on, as recorded in resolves.json. */
export function matchedFields(pkg: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(MATCHED_FIELDS.filter((f) => pkg[f] !== undefined).map((f) => [f, pkg[f]]));
}

interface PackageJson {
  name?: string;
  version?: string;
  [field: string]: unknown;
}

/** Whether the npm lockfile resolves exactly this package.json's dependencies (nothing more, nothing less). */
export function lockfileMatches(pkg: PackageJson, lock: { packages?: Record<string, PackageJson> }): boolean {
  const root = lock.packages?.[''];
  // overrides and workspaces change the tree in ways the root entry does not record.
  if (!root || pkg.overrides !== undefined || pkg.workspaces !== undefined) return false;
  return LOCKED_FIELDS.every((field) => isDeepStrictEqual(pkg[field] ?? {}, root[field] ?? {}));
}

/** Same major (and minor where COMPATIBLE says so) as the version that wrote it. */
export function versionCompatible(kind: Exclude<LockfileKind, 'npm'>, wrote: string, have: string | undefined): boolean {
  const [a, b] = [wrote.split('.'), have?.split('.') ?? []];
  return a[0] === b[0] && (COMPATIBLE[kind] === 'major' || a[1] === b[1]);
}

/** What placing the shipped lockfile did: placed, or why the install resolves instead. */
export type Placement = { placed: true } | { placed: false; why: string };

/**
 * Puts the shipped lockfile into the project, named as its package.json, when it resolves exactly
 * that package.json for this manager's version and the project has no other lockfile (a user's own
 * stays theirs). Placed: the project can install with the manager's frozen install (`npm ci`, …).
 */
export async function placeShippedLockfile(pm: PackageManager, projectDir: string, version = managerVersion(pm)): Promise<Placement> {
  const kind = lockfileKind(pm, version);
  if (!kind) return { placed: false, why: `no shipped lockfile for ${pm} ${version ?? ''}`.trim() };
  const shipped = shippedLockfilePath(kind);
  if (!(await fs.pathExists(shipped))) return { placed: false, why: `no shipped lockfile for ${pm}` };
  const pkg: PackageJson = await fs.readJson(path.join(projectDir, 'package.json'));
  const text = kind === 'npm' ? await npmLockfileFor(pkg, shipped) : await lockfileFor(kind, pkg, shipped, version);
  if (typeof text !== 'string') return text;
  const target = path.join(projectDir, LOCKFILE_NAMES[kind]);
  const existing = await fs.readFile(target, 'utf8').catch(() => undefined);
  // A rerun after a failed install finds ours again; anything else is not ours to replace.
  if (existing !== undefined && existing !== text) return { placed: false, why: `the project has a ${LOCKFILE_NAMES[kind]} of its own` };
  await writeFileAtomic(target, text);
  return { placed: true };
}

const differs: Placement = { placed: false, why: "package.json's dependencies differ from the shipped lockfile's" };

async function npmLockfileFor(pkg: PackageJson, shipped: string): Promise<string | Placement> {
  const lock = await fs.readJson(shipped);
  if (!lockfileMatches(pkg, lock)) return differs;
  lock.name = pkg.name;
  lock.version = pkg.version;
  lock.packages[''] = { ...lock.packages[''], name: pkg.name, version: pkg.version };
  return JSON.stringify(lock, null, 2) + '\n';
}

async function lockfileFor(kind: Exclude<LockfileKind, 'npm'>, pkg: PackageJson, shipped: string, version: string | undefined): Promise<string | Placement> {
  const record: LockRecord = await fs.readJson(lockRecordPath(kind));
  const wrote = record.manager.split('@').pop()!;
  if (!versionCompatible(kind, wrote, version)) {
    return { placed: false, why: `the shipped lockfile was written by ${record.manager}, this is ${version ?? 'an unknown version'}` };
  }
  if (!isDeepStrictEqual(matchedFields(pkg), record.fields)) return differs;
  const text = await fs.readFile(shipped, 'utf8');
  if (kind === 'yarn4' || kind === 'bun') {
    // Both record the root package by name (`my-app@workspace:.`, bun's workspace "name").
    if (typeof pkg.name !== 'string') return { placed: false, why: 'package.json has no name' };
    return renameRoot(kind, text, record.name, pkg.name);
  }
  return text;
}

/** The lockfile with the root package's name changed from the one it was written for. */
export function renameRoot(kind: 'yarn4' | 'bun', text: string, from: string, to: string): string {
  if (kind === 'bun') {
    const root = new RegExp(`("workspaces": \\{\\s*"": \\{\\s*"name": )${escape(JSON.stringify(from))}`);
    return text.replace(root, (_, head: string) => head + JSON.stringify(to));
  }
  return sortBerryEntries(text.replaceAll(`"${from}@workspace:.`, `"${to}@workspace:.`));
}

/**
 * yarn 4 keeps the lockfile's entries sorted by key (`__metadata` first, then plain string order) and
 * `--immutable` refuses a file it would write differently: the renamed root entry must move to where
 * its new name sorts.
 */
function sortBerryEntries(text: string): string {
  const [header, ...entries] = text.trimEnd().split('\n\n');
  const key = (entry: string) => {
    const line = entry.slice(0, entry.indexOf('\n'));
    const raw = line.endsWith(':') ? line.slice(0, -1) : line;
    return raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  };
  entries.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka === '__metadata' || kb === '__metadata') return ka === '__metadata' ? -1 : 1;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return `${[header, ...entries].join('\n\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
