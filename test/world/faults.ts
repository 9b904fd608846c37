/** Fault injection shared by the stand-ins: "answer the next N matching requests like this". */
import type http from 'node:http';

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

/** How a stand-in words an injected error. */
export interface FaultAnswer {
  /** Writes the error in the service's own shape. */
  send(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
  /** The body when the fault names none. */
  body(status: number): unknown;
  /**
   * The status when the fault names none. With it, every fault that neither drops nor hangs answers
   * (a registry fault is always an error); without it, a fault with no status and no body only delays.
   */
  status?: number;
}

/**
 * Takes the fault matching this request and acts it out: waits `delayMs`, then hangs, drops the
 * connection or answers the error. Resolves true when the request is dealt with, false when the
 * stand-in should answer it as usual.
 */
export async function applyFault(
  faults: FaultList,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  answer: FaultAnswer,
): Promise<boolean> {
  const fault = faults.take(req.method, path);
  if (!fault) return false;
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.hang) return true;
  if (fault.drop) {
    req.socket.destroy();
    return true;
  }
  if (answer.status === undefined && fault.status === undefined && fault.body === undefined) return false;
  const status = fault.status ?? answer.status ?? 200;
  answer.send(res, status, fault.body ?? answer.body(status), fault.headers);
  return true;
}
