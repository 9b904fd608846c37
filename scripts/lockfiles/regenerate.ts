/**
 * `npm run lockfiles`: resolves the pinned version map (src/versions.ts) into the lockfiles shipped in
 * templates/lockfiles/, one per package manager, each by that manager's own resolver (the versions the
 * tests run, installed into .tools/pm/), from the very package.json a default run writes for it. Run it
 * after any change to the map, to CREATE_NEXT_APP_VERSION or to a tested manager's version;
 * test/unit/lockfiles.test.ts fails until then. `npm run lockfiles -- pnpm bun` redoes only those.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { lockRecordPath, matchedFields, shippedLockfilePath, type LockfileKind, type LockRecord } from '../../src/systems/lockfile.js';
import { configureProject } from '../../src/systems/package-manager.js';
import { managerEnv, MANAGER_VERSIONS } from '../../test/helpers/package-managers.js';
import { generateAppPackage, readAppPackage } from './app-package.js';
import { RESOLVE, resolveLockfile, type OtherKind } from './resolve.js';

const asked = process.argv.slice(2) as LockfileKind[];
const wanted = (kind: LockfileKind) => asked.length === 0 || asked.includes(kind);
const registry = (await execa('npm', ['config', 'get', 'registry'])).stdout.trim().replace(/\/?$/, '/');

const tmp = await mkdtemp(path.join(os.tmpdir(), 'cak-lockfiles-'));
try {
  const app = await generateAppPackage(tmp, 'npm');
  if (wanted('npm')) await writeNpm(app);
  for (const kind of Object.keys(RESOLVE) as OtherKind[]) if (wanted(kind)) await writeOther(kind, app);
} finally {
  await rm(tmp, { recursive: true, force: true });
}

async function writeNpm(app: string): Promise<void> {
  // Resolution only (no node_modules, no scripts). No `resolved` URLs: `npm ci` then fetches each
  // package from whichever registry the user's npm is configured with, checked against its integrity.
  await execa('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--omit-lockfile-registry-resolved=true'], {
    cwd: app,
    stdio: 'inherit',
  });
  const lock = await fs.readJson(path.join(app, 'package-lock.json'));
  const withUrl = Object.entries(lock.packages as Record<string, { resolved?: string }>).filter(([, p]) => p.resolved);
  if (withUrl.length > 0) throw new Error(`the lockfile names where ${withUrl.length} packages came from (${withUrl[0]![0]}): it must not`);
  await save('npm', JSON.stringify(lock, null, 2) + '\n');
  await fs.remove(path.join(app, 'package-lock.json'));
}

async function writeOther(kind: OtherKind, base: string): Promise<void> {
  const { pm, args } = RESOLVE[kind];
  const dir = path.join(tmp, kind, path.basename(base));
  await fs.copy(base, dir);
  const env = await managerEnv(kind);
  // The manager's settings exactly as a run writes them for this version (yarn's linker, allowed builds).
  process.env.npm_config_user_agent = env.npm_config_user_agent;
  await configureProject(pm, dir);
  console.log(`${kind}: ${pm} ${args.join(' ')}`);
  const text = await resolveLockfile(kind, dir, env, registry, true);
  const pkg = await readAppPackage(dir);
  const record: LockRecord = { manager: `${pm}@${MANAGER_VERSIONS[kind]}`, name: String(pkg.name), fields: matchedFields(pkg) };
  await save(kind, text);
  await fs.writeFile(lockRecordPath(kind), JSON.stringify(record, null, 2) + '\n');
}

async function save(kind: LockfileKind, text: string): Promise<void> {
  const target = shippedLockfilePath(kind);
  await fs.ensureDir(path.dirname(target));
  await fs.writeFile(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
