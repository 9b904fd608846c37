import path from 'node:path';
import fs from 'fs-extra';
import { sha256 } from './tree.js';

/**
 * Whether every file under `dir` (a folder of the project, e.g. `convex`) is one this tool wrote and
 * the user has not changed since: each has the hash the manifest recorded. Only files whose name
 * matches `only` count (e.g. code, not a README), and folders named in `skip` (generated code such as
 * `_generated`) are not looked at. A file we never wrote means no.
 */
export async function onlyOurFiles(
  projectDir: string,
  dir: string,
  ownedHashes: Record<string, string>,
  { only = /./, skip = [] }: { only?: RegExp; skip?: string[] } = {},
): Promise<boolean> {
  const root = path.join(projectDir, dir);
  if (!(await fs.pathExists(root))) return false;
  const walk = async (rel: string): Promise<boolean> => {
    for (const entry of await fs.readdir(path.join(projectDir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (skip.includes(entry.name)) continue;
        if (!(await walk(child))) return false;
      } else if (only.test(entry.name) && ownedHashes[child] !== sha256(await fs.readFile(path.join(projectDir, child)))) {
        return false;
      }
    }
    return true;
  };
  return walk(dir);
}
