/**
 * One run at a time per project: a lock file in the project (pid and start time). A second run while
 * the first is alive exits 2 naming its pid; a lock whose process is gone (killed, crashed) is taken
 * over. It is removed when the run ends, however it ends, and git-ignored (see steps/init-git.ts).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { atExit } from './signals.js';

export const LOCK_FILE = '.create-authkit-convex.lock';

interface LockInfo {
  pid: number;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { text: string; info?: LockInfo } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    return Number.isInteger(info.pid) && info.pid > 0 ? { text, info } : { text };
  } catch {
    return { text }; // half-written or foreign: treated as stale
  }
}

/**
 * Takes the lock of `projectDir` (creating the folder if need be) for the rest of this process.
 * A folder this created is removed again at exit when nothing else was put in it.
 */
export function acquireLock(projectDir: string): void {
  // A file in the way is for the directory check to report.
  if (existsSync(projectDir) && !statSync(projectDir).isDirectory()) return;
  const created = mkdirSync(projectDir, { recursive: true });
  const file = path.join(projectDir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() } satisfies LockInfo) + '\n';
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const held = readLock(file);
    if (!held) continue;
    if (held.info && held.info.pid !== process.pid && isAlive(held.info.pid)) {
      throw new UsageError(
        `Another create-authkit-convex run (pid ${held.info.pid}, started ${held.info.startedAt}) is working on ${projectDir}.`,
        `Wait for it to finish, or stop it (kill ${held.info.pid}); then run the same command again. ` +
          `If no such run exists, delete ${path.join(projectDir, LOCK_FILE)}.`,
      );
    }
    // Stale: take it over, unless another run took it over since we read it.
    if (readLock(file)?.text === held.text) removeFile(file);
  }
  atExit(() => {
    if (readLock(file)?.text === mine) unlinkSync(file);
    if (created) removeEmptyUpTo(projectDir, created);
  });
}

function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

/** Removes `dir` and its parents up to `top` while they are empty (what acquireLock created). */
function removeEmptyUpTo(dir: string, top: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty (the run made the project), or gone
    }
    if (d === top || path.dirname(d) === d) return;
  }
}
