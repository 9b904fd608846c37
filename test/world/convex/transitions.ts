/** What the sync socket sends: messages (logged), and Transitions carrying changed query results. */
import type { ConvexContext, DeploymentRuntime, SyncConnection } from './context.js';
import { runQuery } from './run-functions.js';

/** Convex encodes u64 timestamps on the wire as base64 of 8 little-endian bytes. */
export function encodeTs(ts: number): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(ts));
  return b.toString('base64');
}

/** Sends one message on the socket, logged in the deployment's syncMessages. */
export function send(ctx: ConvexContext, rt: DeploymentRuntime, conn: SyncConnection, message: Record<string, unknown>): void {
  if (conn.ws.readyState !== conn.ws.OPEN) return;
  rt.deployment.syncMessages.push({ at: ctx.now(), connection: conn.id, from: 'server', message });
  conn.ws.send(JSON.stringify(message));
}

/** Re-runs every query of the connection; sends a Transition with those whose result changed (or all, if forced). */
export async function transition(ctx: ConvexContext, rt: DeploymentRuntime, conn: SyncConnection, only?: number[], always = true): Promise<void> {
  const modifications: unknown[] = [];
  const ids = only ?? [...conn.queries.keys()];
  for (const queryId of ids) {
    const q = conn.queries.get(queryId);
    if (!q) {
      modifications.push({ type: 'QueryRemoved', queryId });
      continue;
    }
    const r = await runQuery(rt, conn, q.udfPath, q.args);
    const mod = r.ok
      ? { type: 'QueryUpdated', queryId, value: r.value, logLines: [], journal: null }
      : { type: 'QueryFailed', queryId, errorMessage: r.error, ...(r.errorData === undefined ? {} : { errorData: r.errorData }), logLines: [], journal: null };
    const key = JSON.stringify(mod);
    if (q.last === key && only === undefined) continue;
    q.last = key;
    modifications.push(mod);
  }
  const end = { querySet: conn.querySet, identity: conn.identityVersion };
  if (!always && modifications.length === 0 && end.querySet === conn.sent.querySet && end.identity === conn.sent.identity) return;
  rt.clock += 1;
  send(ctx, rt, conn, {
    type: 'Transition',
    startVersion: { querySet: conn.sent.querySet, identity: conn.sent.identity, ts: encodeTs(conn.sent.ts) },
    endVersion: { querySet: end.querySet, identity: end.identity, ts: encodeTs(rt.clock) },
    modifications,
  });
  conn.sent = { ...end, ts: rt.clock };
}

export function refreshAll(ctx: ConvexContext, rt: DeploymentRuntime, except?: SyncConnection): void {
  for (const conn of rt.connections) if (conn !== except) conn.enqueue(() => transition(ctx, rt, conn, undefined, false));
}
