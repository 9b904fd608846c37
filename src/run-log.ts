/**
 * The run's log of every child process (see systems/runner.ts): in a private folder of its own in the
 * temp dir (0700, the file 0600), kept only when the run fails, so that the user can read it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setLogFile } from './systems/runner.js';

let current: { dir: string; file: string } | undefined;

/** Starts the log; the runner writes to it from now on. */
export function openRunLog(): void {
  // mkdtemp makes the folder 0700; the runner creates the file 0600.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'create-authkit-convex-'));
  current = { dir, file: path.join(dir, 'run.log') };
  setLogFile(current.file);
}

/** The log's path when the run wrote one (a run that failed before any child ran has none). */
export function keptRunLog(): string | undefined {
  return current && existsSync(current.file) ? current.file : undefined;
}

/** After a successful run: nothing of it stays behind. */
export function removeRunLog(): void {
  setLogFile(undefined);
  if (current) rmSync(current.dir, { recursive: true, force: true });
  current = undefined;
}
