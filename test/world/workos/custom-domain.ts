/**
 * A custom authentication domain (WorkOS dashboard → Domains → Authentication API), as on a
 * production environment: tokens then carry iss = https://<domain>/user_management/<clientId>, and
 * that host serves the keys at /sso/jwks/<clientId>. The stand-in itself answers for the domain
 * (requests reach it on its own host and port, as WORKOS_API_HOSTNAME points the app at it).
 */
import type { WorkOSContext } from './context.js';

const JWKS_URL = /^https:\/\/([^/]+)\/sso\/jwks\/([^/?#]+)$/;

/** The issuer without a custom domain, by the environment's issuer style. */
function defaultIssuer(ctx: Pick<WorkOSContext, 'issuerStyle' | 'clientId'>): string {
  return ctx.issuerStyle === 'legacy' ? 'https://api.workos.com/' : `https://api.workos.com/user_management/${ctx.clientId}`;
}

/** Sets (or, with undefined, removes) the custom domain: tokens signed from now on carry its issuer. */
export function useAuthDomain(ctx: WorkOSContext, domain: string | undefined): void {
  ctx.authDomain = domain;
  ctx.issuer = domain ? `https://${domain}/user_management/${ctx.clientId}` : defaultIssuer(ctx);
}

/**
 * The client ID of a public JWKS URL this environment serves (api.workos.com's, or its custom
 * domain's while it has one), else undefined: a URL on any other host is not WorkOS's.
 */
export function jwksClientOf(ctx: Pick<WorkOSContext, 'authDomain'>, url: string): string | undefined {
  const m = JWKS_URL.exec(url);
  if (!m) return undefined;
  const host = m[1]!;
  return host === 'api.workos.com' || (ctx.authDomain !== undefined && host === ctx.authDomain) ? decodeURIComponent(m[2]!) : undefined;
}
