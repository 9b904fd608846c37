/** The deployment's site origin: HTTP actions, when functions are served (404 otherwise). */
import type http from 'node:http';
import { applyFault } from '../faults.js';
import { readBody, sendJson } from '../http.js';
import type { ConvexContext, DeploymentRuntime } from './context.js';
import { convexFault } from './errors.js';
import { errorOf } from './run-functions.js';
import { refreshAll } from './transitions.js';

export async function handleSite(ctx: ConvexContext, rt: DeploymentRuntime, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', rt.deployment.siteUrl);
  const raw = await readBody(req);
  ctx.record({ kind: 'deployment', method, path: url.pathname, deployment: rt.deployment.name });
  if (await applyFault(ctx.faults, req, res, url.pathname, convexFault)) return;
  if (!rt.functions?.fetch) {
    sendJson(res, 404, { code: 'NoHttpRoutes', message: 'This Convex stand-in deployment serves no HTTP actions.' });
    return;
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  try {
    const response = await rt.functions.fetch(
      new Request(url, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(raw) }) }),
    );
    const body = Buffer.from(await response.arrayBuffer());
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    res.writeHead(response.status, out).end(body);
  } catch (err) {
    sendJson(res, 500, { code: 'HttpActionFailed', message: errorOf(err).message });
  }
  // An HTTP action may have written: subscribed queries re-run.
  refreshAll(ctx, rt);
}
