/** Errors the Convex stand-in's routes throw, and how they and injected faults are answered (`{code, message}`). */
import type http from 'node:http';
import type { FaultAnswer } from '../faults.js';
import { sendJson } from '../http.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A route's error as Convex words it; anything else is a 500. */
export function sendError(res: http.ServerResponse, err: unknown): void {
  if (err instanceof HttpError) sendJson(res, err.status, { code: err.code, message: err.message });
  else sendJson(res, 500, { code: 'InternalServerError', message: String(err) });
}

/** An injected fault answers in Convex's error shape; one with neither status nor body only delays. */
export const convexFault: FaultAnswer = {
  send: sendJson,
  body: (status) => ({ code: 'InjectedFault', message: `Injected fault (${status})` }),
};

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
