/**
 * A fault switch for one grant of POST /user_management/authenticate (the path-based faults of
 * faults.ts cannot tell a refresh from a code exchange): "refuse the next N refresh_token grants",
 * answered in WorkOS's OAuth error shape, as when another tab already spent the single-use token.
 */
import { oauthError, type ApiError } from './errors.js';

export interface GrantFault {
  /** How many matching grants it refuses (default 1; Infinity until cleared). */
  times?: number;
  status?: number;
  error?: string;
  description?: string;
  /** How many it has refused so far (kept up to date). */
  taken?: number;
}

export class GrantFaults {
  private rules: Array<{ grant: string; fault: GrantFault; left: number }> = [];

  add(grant: string, fault: GrantFault = {}): GrantFault {
    this.rules.push({ grant, fault, left: fault.times ?? 1 });
    return fault;
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The error to answer this grant with, counted as used; undefined when no fault applies. */
  take(grant: unknown): ApiError | undefined {
    const i = this.rules.findIndex((r) => r.grant === grant);
    if (i < 0) return undefined;
    const rule = this.rules[i]!;
    rule.fault.taken = (rule.fault.taken ?? 0) + 1;
    if (--rule.left <= 0) this.rules.splice(i, 1);
    const { status = 400, error = 'invalid_grant', description = 'Invalid refresh token.' } = rule.fault;
    return oauthError(status, error, description);
  }
}
