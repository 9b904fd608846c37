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
  error(message: string, fix?: string): void;
  close(): void;
}

export function jsonReporter(write: (s: string) => void = (s) => process.stdout.write(s)): Reporter {
  const emit = (event: Record<string, unknown>) =>
    write(redact(JSON.stringify({ time: new Date().toISOString(), ...event })) + '\n');
  return {
    step: (id, title, status, detail) => emit({ type: 'step', id, title, status, detail }),
    info: (message) => emit({ type: 'info', message }),
    warn: (message) => emit({ type: 'warn', message }),
    note: (title, body) => emit({ type: 'note', title, body }),
    error: (message, fix) => emit({ type: 'error', message, fix }),
    close: () => {},
  };
}

const marks: Record<StepStatus, string> = { start: '…', done: '✔', skipped: '–', failed: '✖' };

export function plainReporter(out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Reporter {
  const line = (s: string) => out.write(redact(s) + '\n');
  return {
    step: (_id, title, status, detail) => {
      if (status === 'start') return line(`${marks.start} ${title}`);
      line(`${marks[status]} ${title}${detail ? ` (${detail})` : ''}`);
    },
    info: (m) => line(m),
    warn: (m) => line(`! ${m}`),
    note: (title, body) => line(`\n${title}\n${body.replace(/^/gm, '  ')}\n`),
    error: (m, fix) => err.write(redact(`✖ ${m}${fix ? `\n  Fix: ${fix}` : ''}`) + '\n'),
    close: () => {},
  };
}

/** The terminal UI, with @clack/prompts' spinner (loaded only for interactive runs). */
export async function clackReporter(): Promise<Reporter> {
  const p = await import('@clack/prompts');
  // One spinner at a time: when a step starts while another still runs (the install, in the
  // background), the earlier one becomes a line and reports again when it ends.
  let spin: ReturnType<typeof p.spinner> | undefined;
  let spinning: string | undefined;
  return {
    step: (_id, title, status, detail) => {
      const text = redact(title + (detail ? ` (${detail})` : ''));
      if (status === 'start') {
        if (spin) spin.stop(redact(`${spinning} (continues in the background)`));
        spin = p.spinner();
        spinning = title;
        spin.start(text);
        return;
      }
      if (spin && spinning === title) {
        if (status === 'failed') spin.error(text);
        else spin.stop(text);
        spin = undefined;
        spinning = undefined;
      } else if (status === 'failed') p.log.error(text);
      else p.log.step(text);
    },
    info: (m) => p.log.info(redact(m)),
    warn: (m) => p.log.warn(redact(m)),
    note: (title, body) => p.note(redact(body), title),
    error: (m, fix) => {
      spin?.error(redact(m));
      spin = undefined;
      p.log.error(redact(`${m}${fix ? `\nFix: ${fix}` : ''}`));
    },
    close: () => spin?.stop(),
  };
}
