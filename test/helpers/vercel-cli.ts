/**
 * The real `vercel` CLI, installed from the npm registry into the repo's own `.tools/vercel/` (never
 * globally, and not a dependency of the product), for the tests of --add-production's Vercel offer.
 */
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { repoRoot } from './cli.js';

/** The version under test (the newest whose dependencies the test registry serves in full). */
export const VERCEL_CLI_VERSION = '60.1.3';

const prefix = path.join(repoRoot, '.tools', 'vercel');

let installed: Promise<string> | undefined;
/** Installs it once; resolves to the folder holding the `vercel` executable (to put on PATH). */
export function installVercelCli(): Promise<string> {
  installed ??= (async () => {
    const stamp = path.join(prefix, 'installed.json');
    const bin = path.join(prefix, 'node_modules', '.bin');
    if ((await fs.readJson(stamp).catch(() => undefined))?.version === VERCEL_CLI_VERSION) return bin;
    await fs.remove(prefix);
    await execa('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `vercel@${VERCEL_CLI_VERSION}`]);
    await fs.writeJson(stamp, { version: VERCEL_CLI_VERSION });
    return bin;
  })();
  return installed;
}
