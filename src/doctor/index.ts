/**
 * `create-authkit-convex doctor`: checks the auth chain of the project in the current directory
 * (PITFALLS 6) and explains each break: one line of cause, one exact fix.
 * Exit 0 when every check passes (warnings allowed), 1 when one fails, 2 outside a project.
 */
import { readFileSync } from 'node:fs';
import { redact } from '../secrets.js';
import { allChecks } from './checks.js';
import { createContext } from './context.js';
import type { Check, CheckResult } from './types.js';

export interface DoctorOptions {
  cwd: string;
  json?: boolean;
  /** An access token to validate; `-` reads it from stdin. */
  token?: string;
  /** Check the production chain (--add-production's) instead of dev's. */
  prod?: boolean;
  checks?: Check[];
  write?: (text: string) => void;
}

export async function runDoctor(opts: DoctorOptions): Promise<number> {
  const write = opts.write ?? ((text: string) => process.stdout.write(text));
  const token = opts.token === '-' ? readFileSync(0, 'utf8').trim() : opts.token?.trim();
  const ctx = await createContext(opts.cwd, { token, prod: opts.prod });
  if (opts.prod && !opts.json) write('Production: .env.production.local (what your host needs) and the production deployment.\n');
  const results: CheckResult[] = [];
  for (const check of opts.checks ?? (await allChecks())) {
    let result: CheckResult;
    try {
      result = await check(ctx);
    } catch (error) {
      // A check that throws is a bug in doctor, not a verdict on the project: say so, keep going.
      result = { id: check.name || 'check', ok: false, title: 'Internal check', cause: `doctor failed to run a check: ${(error as Error)?.stack ?? error}`, fix: 'Report this as a bug of create-authkit-convex.' };
    }
    results.push(result);
    if (!opts.json) write(redact(formatResult(result)));
  }
  const failed = results.filter((r) => !r.ok);
  const exitCode = failed.length > 0 ? 1 : 0;
  if (opts.json) {
    write(redact(JSON.stringify({ type: 'doctor', project: opts.cwd, ok: exitCode === 0, exitCode, checks: results })) + '\n');
  } else {
    const warned = results.filter((r) => r.warn).length;
    write(
      redact(
        '\n' +
          (failed.length > 0
            ? `${failed.length} of ${results.length} checks failed${warned ? `, ${warned} warning${warned > 1 ? 's' : ''}` : ''}. Fix them from the top: later checks often fail because of earlier ones.\n`
            : `All checks passed${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.\n`),
      ),
    );
  }
  return exitCode;
}

export function formatResult(r: CheckResult): string {
  if (r.skipped) return `– ${r.title} (skipped: ${r.skipped})\n`;
  if (!r.ok) return `✗ ${r.title}\n    Cause: ${r.cause}\n    Fix:   ${r.fix}\n`;
  if (r.warn) return `! ${r.title}\n    Warning: ${r.warn}\n${r.fix ? `    Fix:     ${r.fix}\n` : ''}`;
  return `✓ ${r.title}${r.detail ? ` (${r.detail})` : ''}\n`;
}
