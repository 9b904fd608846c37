/** Fault injection shared by the stand-ins: "answer the next N matching requests like this". */

export interface FaultMatch {
  method?: string;
  path: string | RegExp;
}

export interface Fault {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
  /** Never answer (the connection stays open until the client gives up or the world closes). */
  hang?: boolean;
  /** How many requests it has answered so far (kept up to date by the stand-in). */
  taken?: number;
  /** How many matching requests it answers (default 1; Infinity for all). */
  times?: number;
}

export class FaultList {
  private rules: Array<{ match: FaultMatch; fault: Fault; left: number }> = [];

  add(match: FaultMatch, fault: Fault): void {
    this.rules.push({ match, fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The first fault matching this request, counted as used; undefined when none applies. */
  take(method: string | undefined, path: string): Fault | undefined {
    const i = this.rules.findIndex(
      (r) =>
        (r.match.method === undefined || r.match.method.toUpperCase() === (method ?? 'GET').toUpperCase()) &&
        (typeof r.match.path === 'string' ? r.match.path === path : r.match.path.test(path)),
    );
    if (i < 0) return undefined;
    const rule = this.rules[i]!;
    rule.fault.taken = (rule.fault.taken ?? 0) + 1;
    if (--rule.left <= 0) this.rules.splice(i, 1);
    return rule.fault;
  }
}
