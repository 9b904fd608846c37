/** A deployment's own HTTP API (admin key required): canonical URLs, environment variables, pushes. */
import type http from 'node:http';
import { applyFault } from '../faults.js';
import { parseBody, readBody, sendJson } from '../http.js';
import type { ConvexContext, DeploymentRuntime } from './context.js';
import { applyEnvChanges } from './env-vars.js';
import { convexFault, HttpError, isRecord, sendError } from './errors.js';
import { functionCallRoute } from './http-functions.js';
import { keyAdministers } from './production-api.js';
import { httpQuery } from './http-query.js';
import { pushRoute } from './push.js';

/** The admin key comes as `Authorization: Convex <key>` or, from older CLI calls, in the body. */
function adminOk(rt: DeploymentRuntime, req: http.IncomingMessage, body: unknown): boolean {
  const header = req.headers.authorization ?? '';
  const key = header.startsWith('Convex ') ? header.slice('Convex '.length) : isRecord(body) ? body.adminKey : undefined;
  return keyAdministers(rt.deployment, key);
}

function deploymentRoute(ctx: ConvexContext, rt: DeploymentRuntime, method: string, pathname: string, body: unknown): [number, unknown] {
  const d = rt.deployment;
  if (method === 'GET' && pathname === '/api/v1/get_canonical_urls') {
    return [200, { convexCloudUrl: d.url, convexSiteUrl: d.siteUrl }];
  }
  if (method === 'POST' && pathname === '/api/update_environment_variables') {
    applyEnvChanges(d, isRecord(body) ? body.changes : undefined);
    return [200, {}];
  }
  const push = pushRoute(ctx, rt, method, pathname, body);
  if (push) return push;
  throw new HttpError(404, 'NotFound', `The Convex stand-in has no route ${method} ${pathname}`);
}

export async function handleDeployment(ctx: ConvexContext, rt: DeploymentRuntime, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  const body = parseBody(req, await readBody(req));
  ctx.record({ kind: 'deployment', method, path: pathname, deployment: rt.deployment.name, ...(body === undefined ? {} : { body }) });
  if (await applyFault(ctx.faults, req, res, pathname, convexFault)) return;
  // Public: a user's query, authenticated by their own token (if any), not the admin key.
  if (method === 'POST' && pathname === '/api/query') return httpQuery(ctx, rt, req, res, body);
  // Clients' function calls need no admin key (http-functions.ts).
  const call = await functionCallRoute(rt, req, pathname, body);
  if (call) {
    sendJson(res, call[0], call[1]);
    return;
  }
  if (pathname !== '/api/v1/get_canonical_urls' && !adminOk(rt, req, body)) {
    sendJson(res, 401, { code: 'BadAdminKey', message: 'The provided admin key was invalid for this instance' });
    return;
  }
  try {
    const [status, out] = deploymentRoute(ctx, rt, method, pathname, body);
    sendJson(res, status, out);
  } catch (err) {
    sendError(res, err);
  }
}
