/** What a doctor check returns, and the small constructors every check uses. */
import type { DoctorContext } from './context.js';

export interface CheckResult {
  /** Stable, for --json consumers, e.g. `deployment.WORKOS_CLIENT_ID`. */
  id: string;
  /** false fails the run (exit 1). A skipped check is ok: another check already says why. */
  ok: boolean;
  title: string;
  /** What is wrong, in one line (failures only). */
  cause?: string;
  /** One exact thing to do about it (failures and warnings). */
  fix?: string;
  /** A problem that does not fail the run (e.g. version drift). */
  warn?: string;
  /** Why the check did not run (a missing input another check reports, or not applicable). */
  skipped?: string;
  /** A short note on a pass, e.g. what was found. */
  detail?: string;
  /** Which way it failed, for machines (e.g. a token's `issuer` / `kid` / `expired`). */
  code?: string;
}

/** A check: one small function of the project's context. */
export type Check = (ctx: DoctorContext) => Promise<CheckResult>;

export const pass = (id: string, title: string, detail?: string): CheckResult => ({ id, ok: true, title, detail });
export const fail = (id: string, title: string, cause: string, fix: string): CheckResult => ({ id, ok: false, title, cause, fix });
export const warn = (id: string, title: string, message: string, fix?: string): CheckResult => ({ id, ok: true, title, warn: message, fix });
export const skip = (id: string, title: string, reason: string): CheckResult => ({ id, ok: true, title, skipped: reason });
