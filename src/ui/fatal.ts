/** The last words of a failed run: the message and its fix, as text on stderr or one JSON event. */
import { CliError } from '../errors.js';
import { redact } from '../secrets.js';

export function reportFatal(error: unknown, json: boolean): number {
  const cli = error instanceof CliError ? error : undefined;
  const message = cli ? cli.message : `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  if (json) process.stdout.write(redact(JSON.stringify({ type: 'error', message, fix: cli?.fix, exitCode: cli?.exitCode ?? 1 })) + '\n');
  else process.stderr.write(redact(`✖ ${message}${cli?.fix ? `\n  Fix: ${cli.fix}` : ''}`) + '\n');
  return cli?.exitCode ?? 1;
}

