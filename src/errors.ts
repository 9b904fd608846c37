/** Errors that carry their exit code and a fix for the user. */
import { cancelExitCode } from './signals.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** Bad usage or input: exit 2, nothing was changed. */
export class UsageError extends CliError {
  constructor(message: string, fix?: string) {
    super(message, 2, fix);
  }
}

/** A step failed: exit 1; the run can be resumed by running the same command again. */
export class StepError extends CliError {
  constructor(
    readonly stepId: string,
    message: string,
    fix?: string,
  ) {
    super(message, 1, fix);
  }
}

/** The user pressed Ctrl-C at a prompt or during a step. */
export class CancelledError extends CliError {
  constructor(message = 'Cancelled.', fix?: string, exitCode = 130) {
    super(message, exitCode, fix);
  }
}

/** Ctrl-C (or SIGTERM, SIGHUP) during steps: what is done is recorded, so the same command carries on from there. */
export function cancelledDuring(stepTitles: string[]): CancelledError {
  const during = stepTitles.length > 0 ? ` during ${stepTitles.map((t) => `"${t}"`).join(' and ')}` : '';
  // 130, 143 or 129: the shell's code for the signal that stopped the run.
  return new CancelledError(`Cancelled${during}.`, 'Run the same command again: it resumes where it stopped.', cancelExitCode());
}
