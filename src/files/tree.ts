/**
 * Generated files are collected in memory first, then written in one go. That is what makes
 * `--dry-run` (print instead of write), diffs, and "never clobber a file the user edited" possible.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import fs from 'fs-extra';

export type FileTree = Map<string, string>;

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Write a file atomically: a crash never leaves it half-written. */
export async function writeFileAtomic(file: string, content: string | Buffer, mode?: number): Promise<void> {
  await fs.ensureDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, content, mode === undefined ? undefined : { mode });
  if (mode !== undefined) await fs.chmod(tmp, mode);
  await fs.rename(tmp, file);
}

export interface WriteOutcome {
  written: string[];
  unchanged: string[];
  /** Files the user changed since we wrote them: ours went to `<path>.authkit-new` instead. */
  keptUserEdits: string[];
}

/**
 * Write the tree under `root`. `ownedHashes` are the hashes of what we last wrote (from the manifest):
 * a file whose current content still has that hash, or a file that does not exist, is ours to
 * replace. With `overwriteUnknown`, files we never wrote may be replaced too (the first run, when the
 * only other author is create-next-app). `patched` files were made from their current content (a merge
 * such as package.json's scripts): always ours to write.
 */
export async function writeTree(
  root: string,
  tree: FileTree,
  ownedHashes: Record<string, string>,
  opts: { overwriteUnknown: boolean; patched?: Set<string> },
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: [], unchanged: [], keptUserEdits: [] };
  for (const [rel, content] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.join(root, rel);
    const current = (await fs.pathExists(file)) ? await fs.readFile(file, 'utf8') : undefined;
    if (current === content) {
      outcome.unchanged.push(rel);
      continue;
    }
    const ours = current === undefined || opts.patched?.has(rel) || (ownedHashes[rel] ? ownedHashes[rel] === sha256(current) : opts.overwriteUnknown);
    if (ours) {
      await writeFileAtomic(file, content);
      outcome.written.push(rel);
    } else {
      await writeFileAtomic(`${file}.authkit-new`, content);
      outcome.keptUserEdits.push(rel);
    }
  }
  return outcome;
}

/** A unified diff per file of `tree` that differs from what is on disk (for --dry-run). */
export async function diffAgainstDisk(root: string, tree: FileTree): Promise<Array<{ path: string; patch: string }>> {
  const { createTwoFilesPatch } = await import('diff');
  const out: Array<{ path: string; patch: string }> = [];
  for (const [rel, content] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.join(root, rel);
    const current = (await fs.pathExists(file)) ? await fs.readFile(file, 'utf8') : '';
    if (current === content) continue;
    out.push({ path: rel, patch: createTwoFilesPatch(`a/${rel}`, `b/${rel}`, current, content) });
  }
  return out;
}
