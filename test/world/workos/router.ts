/** Which code answers a request: the public endpoints first, then (with the API key) the management API. */
import type http from 'node:http';
import { authenticate } from './authenticate.js';
import { ok, type ApiRequest, type Out, type WorkOSContext } from './context.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { ApiError } from './errors.js';
import { eventRoutes } from './event-routes.js';
import { authorize, logout } from './hosted-sign-in.js';
import { invitationRoutes } from './invitation-routes.js';
import { organizationRoutes } from './organization-routes.js';
import { roleRoutes } from './roles.js';
import { userRoutes } from './user-routes.js';
import { webhookEndpointRoutes } from './webhooks.js';

export type Auth = 'ok' | 'bad' | 'none';

/** The answer to send, or undefined when the route answered itself (a redirect or an HTML page). */
export async function route(ctx: WorkOSContext, r: ApiRequest, auth: Auth, res: http.ServerResponse): Promise<Out | undefined> {
  const { method, path, query, body } = r;
  let m: RegExpExecArray | null;

  // ---- public endpoints (no API key) ----
  if (method === 'GET' && (m = /^\/sso\/jwks\/([^/]+)$/.exec(path))) {
    if (decodeURIComponent(m[1]!) !== ctx.clientId)
      throw new ApiError(404, { message: 'Not Found', code: 'entity_not_found' });
    return ok({ keys: [ctx.publicJwk] });
  }
  if (path === '/user_management/authorize' && (method === 'GET' || method === 'POST')) {
    await authorize(ctx, method === 'GET' ? query : { ...query, ...(body as Record<string, string>) }, method, res);
    return undefined;
  }
  if (method === 'GET' && path === '/user_management/sessions/logout') {
    logout(ctx, query, res);
    return undefined;
  }
  if (method === 'POST' && path === '/user_management/authenticate') {
    return ok(await authenticate(ctx, body));
  }

  // ---- everything else needs the API key ----
  requireKey(auth);
  const out =
    webhookEndpointRoutes(ctx, r) ?? dashboardRoutes(ctx, r) ?? userRoutes(ctx, r) ?? organizationRoutes(ctx, r) ?? eventRoutes(ctx, r) ?? roleRoutes(ctx, r) ?? invitationRoutes(ctx, r);
  if (out) return out;
  throw new ApiError(404, { message: `No route for ${method} ${path}`, code: 'not_found' });
}

function requireKey(auth: Auth) {
  if (auth === 'none') throw new ApiError(401, { message: 'Unauthorized', code: 'unauthorized' });
  if (auth === 'bad')
    throw new ApiError(401, { message: 'Could not authorize the request. Maybe your API key is invalid?', code: 'unauthorized' });
}
