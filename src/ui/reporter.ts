/**
 * How a run talks to the user: a spinner UI in a terminal, plain lines when piped, or
 * newline-delimited JSON events with --json. Everything printed passes through `redact`.
 */
import { redact } from '../secrets.js';

export type StepStatus = 'start' | 'done' | 'skipped' | 'failed';

export interface Reporter {
  step(id: string, title: string, status: StepStatus, detail?: string): void;
  info(message: string): void;
  warn(message: string): void;
  /** A boxed block of text (the plan, next steps). */
  note(title: string, body: string): void;
  /**
   * A step waits for one running in the background: say what for and for how long, live, until the
   * returned function is called (no still screen while the install finishes).
   */
  waiting(title: string, forTitle: string): () => void;
  /** A step is about to prompt: a spinner must not draw over the question. */
  pause(): void;
  close(): void;
}

/** How often a wait is reported again: a live spinner every second, a line or JSON event less often. */
const TICK_MS = { live: 1000, line: 5000 };

/** Calls `tick(elapsed seconds)` every `everyMs` until the returned function is called. */
function ticking(everyMs: number, tick: (seconds: number) => void): () => void {
  const started = Date.now();
  const timer = setInterval(() => tick(Math.round((Date.now() - started) / 1000)), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function jsonReporter(write: (s: string) => void = (s) => process.stdout.write(s)): Reporter {
  const emit = (event: Record<string, unknown>) =>
    write(redact(JSON.stringify({ time: new Date().toISOString(), ...event })) + '\n');
  return {
    step: (id, title, status, detail) => emit({ type: 'step', id, title, status, detail }),
    info: (message) => emit({ type: 'info', message }),
    warn: (message) => emit({ type: 'warn', message }),
    note: (title, body) => emit({ type: 'note', title, body }),
    waiting: (title, forTitle) => {
      const progress = (seconds: number) => emit({ type: 'progress', title, waitingFor: forTitle, seconds });
      progress(0);
      return ticking(TICK_MS.line / 2, progress);
    },
    pause: () => {},
    close: () => {},
  };
}

const marks: Record<StepStatus, string> = { start: '…', done: '✔', skipped: '–', failed: '✖' };

export function plainReporter(out: NodeJS.WritableStream = process.stdout): Reporter {
  const line = (s: string) => out.write(redact(s) + '\n');
  return {
    step: (_id, title, status, detail) => {
      if (status === 'start') return line(`${marks.start} ${title}`);
      line(`${marks[status]} ${title}${detail ? ` (${detail})` : ''}`);
    },
    info: (m) => line(m),
    warn: (m) => line(`! ${m}`),
    note: (title, body) => line(`\n${title}\n${body.replace(/^/gm, '  ')}\n`),
    waiting: (title, forTitle) => {
      line(`… ${title}: waiting for "${forTitle}"`);
      return ticking(TICK_MS.line, (s) => line(`… ${title}: still waiting for "${forTitle}" (${s} s)`));
    },
    pause: () => {},
    close: () => {},
  };
}

/** The terminal UI, with @clack/prompts' spinner (loaded only for interactive runs). */
export async function clackReporter(): Promise<Reporter> {
  const p = await import('@clack/prompts');
  // One spinner at a time: when a step starts while another still runs (the install, in the
  // background), the earlier one becomes a line and reports again when it ends.
  let spin: ReturnType<typeof p.spinner> | undefined;
  /** The step title (or WAIT) the spinner stands for, and its text. */
  let spinning: string | undefined;
  let spinText = '';
  const WAIT = '\0wait';
  const startSpin = (key: string, text: string) => {
    spin = p.spinner();
    spinning = key;
    spinText = text;
    spin.start(text);
  };
  const pause = () => {
    spin?.clear();
    spin = undefined;
    spinning = undefined;
  };
  /** A line printed while a spinner runs goes above it; the spinner carries on below. */
  const above = (log: () => void) => {
    if (!spin) return log();
    const key = spinning!;
    spin.clear();
    log();
    startSpin(key, spinText);
  };
  return {
    step: (_id, title, status, detail) => {
      const text = redact(title + (detail ? ` (${detail})` : ''));
      if (status === 'start') {
        if (spin && spinning === WAIT) pause();
        if (spin) spin.stop(redact(`${spinning} (continues in the background)`));
        startSpin(title, text);
        return;
      }
      if (spin && spinning === title) {
        if (status === 'failed') spin.error(text);
        else spin.stop(text);
        spin = undefined;
        spinning = undefined;
      } else if (status === 'failed') above(() => p.log.error(text));
      else above(() => p.log.step(text));
    },
    // A message (or a prompt after it) must not be overwritten by a spinning line: the spinner gives way.
    info: (m) => {
      pause();
      p.log.info(redact(m));
    },
    warn: (m) => {
      pause();
      p.log.warn(redact(m));
    },
    waiting: (title, forTitle) => {
      if (spin) spin.stop(redact(`${spinning} (continues in the background)`));
      const text = (s: number) => redact(`${title}: waiting for "${forTitle}"${s ? ` (${s} s)` : ''}`);
      startSpin(WAIT, text(0));
      const stop = ticking(TICK_MS.live, (s) => {
        if (spinning !== WAIT) return;
        spinText = text(s);
        spin?.message(spinText);
      });
      return () => {
        stop();
        if (spinning === WAIT) pause();
      };
    },
    pause,
    note: (title, body) => p.note(redact(body), title),
    close: () => spin?.stop(),
  };
}
