/**
 * Every child process goes through here: one place for cwd, env, timeouts, logging and secret hygiene.
 * Secrets are passed by stdin or env only; argv is checked, and every line we print or log is redacted.
 */
import { appendFileSync } from 'node:fs';
import { execa, type Options as ExecaOptions } from 'execa';
import { addSecret, findSecret, redact } from '../secrets.js';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin (the way to hand it a secret). */
  input?: string;
  timeoutMs?: number;
  /** Attach the terminal (for interactive logins); output is then not captured. */
  interactive?: boolean;
  /** How to show the command in messages (default: the command line itself). */
  label?: string;
  /** Called with each redacted output line, e.g. to feed a spinner. */
  onLine?: (line: string) => void;
  /**
   * The output holds secret values (e.g. `convex env list`): given the raw stdout, returns them. They
   * are registered before anything of the output is shown, and the output is never logged.
   */
  secretsIn?: (stdout: string) => Array<string | undefined>;
  /**
   * Stop what the command leaves running in its process group once it exits, and wait for it to go
   * (the convex CLI exits without stopping the local backend it started).
   */
  reapGroup?: boolean;
}

export interface RunResult {
  exitCode: number;
  /** Redacted combined stdout + stderr. */
  output: string;
  stdout: string;
  /** Unredacted stdout, for parsing only (e.g. env values); never print or log it. */
  rawStdout: string;
}

export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult,
    readonly timedOut: boolean,
    timeoutMs?: number,
  ) {
    super(`${command} ${timedOut ? `timed out${timeoutMs ? ` after ${Math.round(timeoutMs / 1000)} s` : ''}` : `exited with code ${result.exitCode}`}`);
  }
  /** What to do about it, when the caller can tell from the output. */
  fix?: string;
}

/** Aborted on Ctrl-C: every running child is stopped, and the step fails as cancelled. */
const cancel = new AbortController();
/** Running children (pid → interactive?). Their own process groups are stopped if we exit first. */
const children = new Map<number, boolean>();
process.on('exit', () => {
  for (const [pid, interactive] of children) if (!interactive) killTree(pid);
});
/** Stops every running child; false when none was running. */
export function cancelChildren(): boolean {
  cancel.abort();
  return children.size > 0;
}

let logFile: string | undefined;
export function setLogFile(file: string | undefined): void {
  logFile = file;
}
export function log(line: string): void {
  // 0600: only the user may read it (the folder is private too, see run-log.ts).
  if (logFile) appendFileSync(logFile, redact(line) + '\n', { mode: 0o600 });
}

export async function run(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  // A programming error, not a user one: refuse rather than leak.
  if (args.some(findSecret)) throw new Error(`Refusing to pass a secret in argv to ${command}.`);
  const shown = opts.label ?? [command, ...args].join(' ');
  log(`$ ${[command, ...args].join(' ')}  (cwd ${opts.cwd})`);
  recordArgv(command, args, opts.cwd);

  const io: ExecaOptions = opts.interactive
    ? { stdio: 'inherit' }
    : opts.input !== undefined
      ? { input: opts.input }
      : { stdin: 'ignore' };
  const execaOpts: ExecaOptions = {
    cwd: opts.cwd,
    env: { ...opts.env, FORCE_COLOR: '0' },
    extendEnv: true,
    reject: false,
    all: !opts.interactive,
    stripFinalNewline: false,
    // A process group of its own, so that a timeout or Ctrl-C stops the whole tree: `npx` leaves the
    // tool it runs behind when only it is killed, and the orphan would hold our pipes open. An
    // interactive child stays in the terminal's group (it reads from it; Ctrl-C reaches it directly).
    detached: !opts.interactive,
    ...io,
  };

  const child = execa(command, args, execaOpts);
  if (child.pid !== undefined) children.set(child.pid, Boolean(opts.interactive));
  let timedOut = false;
  let cancelled = false;
  const stop = (why: 'timeout' | 'cancel') => {
    if (why === 'timeout') timedOut = true;
    else cancelled = true;
    killTree(child.pid, opts.interactive);
  };
  const timer = opts.timeoutMs ? setTimeout(() => stop('timeout'), opts.timeoutMs) : undefined;
  const onCancel = () => stop('cancel');
  if (cancel.signal.aborted) onCancel();
  else cancel.signal.addEventListener('abort', onCancel, { once: true });
  if (!opts.interactive && child.all && !opts.secretsIn) {
    let pending = '';
    child.all.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const clean = redact(line);
        log(clean);
        opts.onLine?.(clean);
      }
    });
  }
  const result = await child.finally(() => {
    if (child.pid !== undefined) children.delete(child.pid);
    clearTimeout(timer);
    cancel.signal.removeEventListener('abort', onCancel);
  });
  if (opts.reapGroup && !opts.interactive) await reapGroup(child.pid);
  if (opts.secretsIn) {
    for (const secret of opts.secretsIn(String(result.stdout ?? ''))) addSecret(secret);
    log(`(output withheld from the log: it holds secret values)`);
  }
  const out: RunResult = {
    exitCode: result.exitCode ?? (cancelled || timedOut ? 124 : 1),
    output: redact(String(result.all ?? '')),
    stdout: redact(String(result.stdout ?? '')),
    rawStdout: String(result.stdout ?? ''),
  };
  log(`→ exit ${out.exitCode}${timedOut ? ' (timed out)' : ''}`);
  if (result.signal === 'SIGINT' || cancelled) out.exitCode = 130;
  if (out.exitCode !== 0) throw new CommandFailedError(shown, out, timedOut, opts.timeoutMs);
  return out;
}

/** SIGTERM to the child's process group (or the child alone when interactive), SIGKILL if it lingers. */
function killTree(pid: number | undefined, interactive?: boolean): void {
  if (pid === undefined) return;
  const target = interactive ? pid : -pid;
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(target, signal);
    } catch {
      /* already gone */
    }
  };
  send('SIGTERM');
  setTimeout(() => send('SIGKILL'), 3000).unref();
}

/** SIGTERM to what is left of an exited child's process group; waits until it is gone (SIGKILL after 5 s). */
async function reapGroup(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  killTree(pid);
  for (let waited = 0; alive() && waited < 6000; waited += 100) await new Promise((r) => setTimeout(r, 100));
}

/** Test hook: when CREATE_AUTHKIT_CONVEX_ARGV_LOG names a file, every spawned argv is appended to it. */
function recordArgv(command: string, args: string[], cwd: string): void {
  const file = process.env.CREATE_AUTHKIT_CONVEX_ARGV_LOG;
  if (file) appendFileSync(file, JSON.stringify({ command, args, cwd }) + '\n');
}
