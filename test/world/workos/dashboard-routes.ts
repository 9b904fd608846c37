/**
 * The dashboard settings the CLI sets: redirect URIs, CORS origins and the app homepage URL. The real
 * API's answer to a duplicate (and the homepage reply) is not documented: the choices are options.
 */
import { isHttpUrl } from './checks.js';
import { ok, type ApiRequest, type Out, type WorkOSContext } from './context.js';
import { ApiError, unprocessable } from './errors.js';
import { newId, nowIso } from './ids.js';
import { checkProductionRedirectUri } from './production.js';

/** Redirect URIs, CORS origins, homepage URL. */
export function dashboardRoutes(ctx: WorkOSContext, { method, path, query, body }: ApiRequest): Out | undefined {
  const { state, opts } = ctx;

  // dashboard settings
  if (method === 'POST' && path === '/user_management/redirect_uris') {
    const uri = body.uri;
    if (!isHttpUrl(uri)) throw unprocessable('Validation failed', [{ field: 'uri', code: 'uri must be a valid URL' }]);
    checkProductionRedirectUri(ctx, uri);
    if (state.redirectUris.includes(uri))
      throw new ApiError(422, { message: 'Redirect URI already exists.', code: 'redirect_uri_already_exists' });
    state.redirectUris.push(uri);
    const ts = nowIso();
    return ok({ object: 'redirect_uri', id: newId('ruri'), uri, default: state.redirectUris.length === 1, created_at: ts, updated_at: ts }, 201);
  }
  if (method === 'POST' && path === '/user_management/cors_origins') {
    const o = body.origin;
    if (!isHttpUrl(o) || new URL(o).origin !== o.replace(/\/$/, ''))
      throw unprocessable('Validation failed', [{ field: 'origin', code: 'origin must be a valid origin' }]);
    if (state.corsOrigins.includes(o)) {
      const status = opts.corsDuplicateStatus ?? 409;
      throw new ApiError(status, {
        message: 'CORS origin already exists.',
        code: status === 409 ? 'duplicate_cors_origin' : 'cors_origin_already_exists',
      });
    }
    state.corsOrigins.push(o);
    const ts = nowIso();
    return ok({ object: 'cors_origin', id: newId('cors_origin'), origin: o, created_at: ts, updated_at: ts }, 201);
  }
  if (method === 'PUT' && path === '/user_management/app_homepage_url') {
    const u = body.url;
    if (!isHttpUrl(u)) throw unprocessable('Validation failed', [{ field: 'url', code: 'url must be a valid URL' }]);
    if (opts.homepageRejectsLocalhost && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(new URL(u).hostname))
      throw unprocessable('Validation failed', [{ field: 'url', code: 'url must not be a localhost URL' }]);
    state.homepageUrl = u;
    return ok({ object: 'app_homepage_url', url: u });
  }
  return undefined;
}
