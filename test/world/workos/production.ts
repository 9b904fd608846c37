/**
 * A production environment beside the stand-in's staging (dev) one, as a WorkOS account has: its own
 * `sk_live_` API key and client ID, and its own redirect URIs, CORS origins, homepage and webhook
 * endpoints. A request belongs to it when it carries its key (management API) or names its client ID
 * (public endpoints). Like WorkOS, production takes only https redirect URIs that are not localhost.
 */
import type { WorkOSContext } from './context.js';
import { unprocessable } from './errors.js';
import { newId, randomToken } from './ids.js';
import type { StandInState } from './types.js';

export function emptyState(): StandInState {
  return { webhookEndpoints: [], redirectUris: [], logoutUris: [], corsOrigins: [], users: [], organizations: [], memberships: [], connections: [], magicCodes: [], events: [] };
}

/** The production environment's context: the staging one's keys for signing, everything else its own. */
export function productionContext(staging: WorkOSContext, opts: { apiKey?: string; clientId?: string } = {}): WorkOSContext {
  const clientId = opts.clientId ?? newId('client');
  return {
    ...staging,
    apiKey: opts.apiKey ?? `sk_live_${randomToken(18)}`,
    clientId,
    issuer: staging.issuerStyle === 'legacy' ? 'https://api.workos.com/' : `https://api.workos.com/user_management/${clientId}`,
    // Production's custom domain is its own (production.setAuthDomain), never staging's.
    authDomain: undefined,
    production: true,
    state: emptyState(),
    codes: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
  };
}

/** Which environment a request is for: the one whose key it carries, else the one whose client ID it names. */
export function environmentOf(
  envs: WorkOSContext[],
  bearer: string | undefined,
  path: string,
  query: Record<string, string>,
  body: Record<string, unknown>,
): WorkOSContext {
  const byKey = bearer ? envs.find((e) => e.apiKey === bearer) : undefined;
  if (byKey) return byKey;
  const named = [query.client_id, body.client_id, /^\/sso\/jwks\/([^/]+)$/.exec(path)?.[1]].filter(Boolean);
  return envs.find((e) => named.includes(e.clientId)) ?? envs[0]!;
}

/** Production refuses what only a developer's machine serves: http, localhost. */
export function checkProductionRedirectUri(ctx: WorkOSContext, uri: string): void {
  if (!ctx.production) return;
  const url = new URL(uri);
  if (url.protocol !== 'https:' || /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname)) {
    throw unprocessable('Validation failed', [{ field: 'uri', code: 'Production redirect URIs must use HTTPS and cannot point to localhost.' }]);
  }
}
