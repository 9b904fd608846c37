/**
 * `npm run lockfiles`: resolves the pinned version map (src/versions.ts) into the lockfile shipped in
 * templates/lockfiles/, from the very package.json a default run writes. Run it after any change to the
 * map or to CREATE_NEXT_APP_VERSION; test/unit/lockfiles.test.ts fails until then.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { shippedLockfilePath } from '../../src/systems/lockfile.js';
import { generateAppPackage } from './app-package.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'cak-lockfiles-'));
try {
  const app = await generateAppPackage(tmp, 'npm');
  // Resolution only (no node_modules, no scripts). No `resolved` URLs: `npm ci` then fetches each
  // package from whichever registry the user's npm is configured with, checked against its integrity.
  await execa('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--omit-lockfile-registry-resolved=true'], {
    cwd: app,
    stdio: 'inherit',
  });
  const lock = await fs.readJson(path.join(app, 'package-lock.json'));
  const withUrl = Object.entries(lock.packages as Record<string, { resolved?: string }>).filter(([, p]) => p.resolved);
  if (withUrl.length > 0) throw new Error(`the lockfile names where ${withUrl.length} packages came from (${withUrl[0]![0]}): it must not`);
  const target = shippedLockfilePath('npm')!;
  await fs.ensureDir(path.dirname(target));
  await fs.writeFile(target, JSON.stringify(lock, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), target)}: ${Object.keys(lock.packages).length - 1} packages`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}
