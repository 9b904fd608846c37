/**
 * The run's log of every child process (see systems/runner.ts): in a private folder of its own in the
 * temp dir (0700, the file 0600), kept only when the run fails, so that the user can read it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors.js';
import { log, setLogFile } from './systems/runner.js';

let current: { dir: string; file: string } | undefined;

/** Starts the log with a line saying which run it is; the runner writes to it from now on. */
export function openRunLog(header: string): void {
  // mkdtemp makes the folder 0700; the runner creates the file 0600.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'create-authkit-convex-'));
  current = { dir, file: path.join(dir, 'run.log') };
  setLogFile(current.file);
  log(header);
}

/** The run's last words, as the user saw them (redacted like every line of the log). */
export function logFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const fix = error instanceof CliError ? error.fix : (error as { fix?: string } | undefined)?.fix;
  log(`✖ ${message}${fix ? `\n  Fix: ${fix}` : ''}`);
}

/** The log's path, once the run has opened one. */
export function keptRunLog(): string | undefined {
  return current && existsSync(current.file) ? current.file : undefined;
}

/** After a successful run: nothing of it stays behind. */
export function removeRunLog(): void {
  setLogFile(undefined);
  if (current) rmSync(current.dir, { recursive: true, force: true });
  current = undefined;
}
