/**
 * The deployment's sync WebSocket, as convex 1.49's browser client (`ConvexReactClient` /
 * `BaseConvexClient`) speaks it, learned from its code (convex/dist/esm/browser/sync/*):
 *   client → Connect, ModifyQuerySet {baseVersion, newVersion, modifications: Add|Remove},
 *            Authenticate {baseVersion, tokenType: 'Admin'|'User'|'None', value?},
 *            Mutation / Action {requestId, udfPath, args: [args]}, Event;
 *   server → Transition {startVersion, endVersion, modifications: QueryUpdated|QueryFailed|QueryRemoved}
 *            (versions are {querySet, identity, ts}; ts is a base64 u64), AuthError {error,
 *            baseVersion, authUpdateAttempted}, MutationResponse {requestId, success, result, ts},
 *            ActionResponse, FatalError, Ping.
 * The client counts a token as accepted when a Transition raises the identity version past the
 * one it authenticated from (endVersion.identity = baseVersion + 1).
 */
import type { WebSocket } from 'ws';
import type { ConvexContext, DeploymentRuntime, SyncConnection } from './context.js';
import { isRecord } from './errors.js';
import { errorOf } from './run-functions.js';
import { authenticate } from './sync-auth.js';
import { encodeTs, refreshAll, send, transition } from './transitions.js';

export function handleSync(ctx: ConvexContext, rt: DeploymentRuntime, ws: WebSocket, pathname: string): void {
  const d = rt.deployment;
  let chain: Promise<void> = Promise.resolve();
  const conn: SyncConnection = {
    id: ctx.counters.connection++,
    ws,
    queries: new Map(),
    querySet: 0,
    identityVersion: 0,
    sent: { querySet: 0, identity: 0, ts: 0 },
    admin: false,
    identity: null,
    token: null,
    expiryTimer: undefined,
    enqueue: (task) => {
      chain = chain.then(task).catch((err: unknown) => {
        console.error('[convex stand-in] sync handler failed:', err);
      });
    },
  };
  rt.connections.add(conn);
  const opened: { id: number; openedAt: number; closedAt?: number } = { id: conn.id, openedAt: Date.now() };
  d.syncConnections.push(opened);
  // The real backend pings idle clients (the client reconnects after 60 s of silence).
  const ping = setInterval(() => send(ctx, rt, conn, { type: 'Ping' }), 15_000);
  ping.unref();
  ws.on('close', () => {
    opened.closedAt = Date.now();
    clearInterval(ping);
    clearTimeout(conn.expiryTimer);
    rt.connections.delete(conn);
  });

  const handle = async (msg: Record<string, unknown>): Promise<void> => {
    switch (msg.type) {
      case 'Authenticate':
        return authenticate(ctx, rt, conn, msg);
      case 'ModifyQuerySet':
        return modifyQuerySet(ctx, rt, conn, msg);
      case 'Mutation':
      case 'Action':
        return callFunction(ctx, rt, conn, msg);
      default:
        // Connect, Event: nothing to answer.
        return;
    }
  };

  ws.on('message', (data) => {
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if (!isRecord(msg)) return;
    d.syncMessages.push({ at: ctx.now(), connection: conn.id, from: 'client', message: msg });
    ctx.record({ kind: 'sync', method: 'WS', path: pathname, deployment: d.name, body: msg });
    conn.enqueue(() => handle(msg));
  });
}

/** Adds and removes subscribed queries; the Transition carries the results of those changed. */
async function modifyQuerySet(ctx: ConvexContext, rt: DeploymentRuntime, conn: SyncConnection, msg: Record<string, unknown>): Promise<void> {
  const changed: number[] = [];
  for (const mod of Array.isArray(msg.modifications) ? (msg.modifications as unknown[]) : []) {
    if (!isRecord(mod) || typeof mod.queryId !== 'number') continue;
    if (mod.type === 'Add' && typeof mod.udfPath === 'string') {
      conn.queries.set(mod.queryId, { udfPath: mod.udfPath, args: Array.isArray(mod.args) ? mod.args[0] : {} });
    } else if (mod.type === 'Remove') {
      conn.queries.delete(mod.queryId);
    }
    changed.push(mod.queryId);
  }
  conn.querySet = typeof msg.newVersion === 'number' ? msg.newVersion : conn.querySet + 1;
  await transition(ctx, rt, conn, changed);
}

/** Runs a Mutation or Action; afterwards every other connection hears about changed query results. */
async function callFunction(ctx: ConvexContext, rt: DeploymentRuntime, conn: SyncConnection, msg: Record<string, unknown>): Promise<void> {
  const requestId = msg.requestId;
  const isMutation = msg.type === 'Mutation';
  const type = isMutation ? 'MutationResponse' : 'ActionResponse';
  const udfPath = typeof msg.udfPath === 'string' ? msg.udfPath : '';
  const [file = '', fn = 'default'] = udfPath.split(':');
  const name = `${file.replace(/\.js$/, '')}:${fn}`;
  const args = Array.isArray(msg.args) && isRecord(msg.args[0]) ? msg.args[0] : {};
  const run = isMutation ? rt.functions?.mutation : rt.functions?.action;
  if (!run) {
    send(ctx, rt, conn, { type, requestId, success: false, result: `Could not find public function for '${udfPath}'. (No functions are served by this Convex stand-in deployment.)`, logLines: [] });
    return;
  }
  try {
    const result = (await run(name, args, conn.identity)) ?? null;
    if (isMutation) {
      // The client resolves the mutation once a Transition reaches its commit timestamp.
      send(ctx, rt, conn, { type, requestId, success: true, result, ts: encodeTs(rt.clock + 1), logLines: [] });
      await transition(ctx, rt, conn);
    } else {
      send(ctx, rt, conn, { type, requestId, success: true, result, logLines: [] });
    }
  } catch (err) {
    const { message, data } = errorOf(err);
    send(ctx, rt, conn, { type, requestId, success: false, result: message, ...(data === undefined ? {} : { errorData: data }), logLines: [] });
  }
  refreshAll(ctx, rt, isMutation ? conn : undefined);
}
