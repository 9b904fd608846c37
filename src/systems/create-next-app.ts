/** create-next-app, run at the pinned version through the package manager. */
import path from 'node:path';
import type { PackageManager } from '../options/schema.js';
import { CREATE_NEXT_APP_VERSION } from '../versions.js';
import { execPackage } from './package-manager.js';
import type { RunOptions } from './runner.js';

export async function createNextApp(projectDir: string, pm: PackageManager, opts: Partial<RunOptions> = {}) {
  const args = [
    path.basename(projectDir),
    '--ts',
    '--tailwind',
    '--eslint',
    '--app',
    '--src-dir',
    '--import-alias',
    '@/*',
    `--use-${pm}`,
    // One install, later, with every dependency of the finished project.
    '--skip-install',
    // Our own git step commits the finished project.
    '--disable-git',
    // Never prompt; explicit flags above win over saved preferences.
    '--yes',
  ];
  return execPackage(pm, `create-next-app@${CREATE_NEXT_APP_VERSION}`, args, {
    cwd: path.dirname(projectDir),
    timeoutMs: 10 * 60_000,
    ...opts,
  });
}
