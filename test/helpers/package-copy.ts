/**
 * A copy of this package with extra files (e.g. a new feature module and its templates), built with
 * the real build: what a contributor's checkout would be after adding them. node_modules is shared.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { repoRoot } from './cli.js';

const COPIED = ['bin', 'src', 'templates', 'package.json', 'tsconfig.json', 'tsup.config.ts'];

/** Returns the copy's CLI launcher (bin/create-authkit-convex.js), built from `extra` added to the sources. */
export async function builtCopyWith(extra: Record<string, string>): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cak-copy-'));
  for (const entry of COPIED) await fs.copy(path.join(repoRoot, entry), path.join(root, entry));
  await fs.symlink(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  for (const [rel, text] of Object.entries(extra)) await fs.outputFile(path.join(root, rel), text);
  await execa(process.execPath, [path.join(root, 'node_modules/tsup/dist/cli-default.js')], { cwd: root, all: true });
  return path.join(root, 'bin/create-authkit-convex.js');
}
