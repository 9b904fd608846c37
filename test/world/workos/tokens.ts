/** Access tokens (RS256, checked against /sso/jwks/<clientId>), refresh tokens and sessions. */
import { SignJWT } from 'jose';
import type { Session, WorkOSContext } from './context.js';
import { oauthError } from './errors.js';
import { newId, nowIso, randomToken } from './ids.js';
import { recordEvent } from './records.js';
import type { AccessTokenClaims, StandInState } from './types.js';
import { permissionsOfRoles } from './roles.js';

export async function signAccessToken(ctx: WorkOSContext, c: AccessTokenClaims): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: c.issuer ?? ctx.issuer,
    sub: c.sub,
    sid: c.sid ?? newId('session'),
    jti: newId('jti'),
    iat,
    exp: iat + (c.ttlSeconds ?? ctx.ttl),
  };
  const aud = c.audience ?? (ctx.issuerStyle === 'legacy' ? ctx.clientId : undefined);
  if (aud !== undefined) payload.aud = aud;
  if (c.org_id !== undefined) payload.org_id = c.org_id;
  if (c.role !== undefined) payload.role = c.role;
  if (c.roles !== undefined) payload.roles = c.roles;
  if (c.permissions !== undefined) payload.permissions = c.permissions;
  Object.assign(payload, c.extra ?? {});
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: c.kid ?? ctx.kid, typ: 'JWT' })
    .sign(ctx.privateKey);
}

export async function issueTokens(ctx: WorkOSContext, session: Session) {
  const { state } = ctx;
  const user = state.users.find((u) => u.id === session.userId);
  if (!user) throw oauthError(400, 'invalid_grant', 'User no longer exists.');
  const claims: AccessTokenClaims = { sub: user.id, sid: session.id };
  if (session.orgId) {
    const m = state.memberships.find(
      (x) => x.user_id === user.id && x.organization_id === session.orgId && x.status === 'active',
    );
    claims.org_id = session.orgId;
    if (m) {
      claims.role = m.role.slug;
      claims.roles = (m.roles ?? [m.role]).map((r) => r.slug);
      // The permissions of the member's roles (roles.ts), as WorkOS puts them in the token.
      claims.permissions = permissionsOfRoles(state, claims.roles);
    }
  }
  const access_token = await signAccessToken(ctx, claims);
  const refresh_token = randomToken(24);
  ctx.refreshTokens.set(refresh_token, { sessionId: session.id, used: false });
  user.last_sign_in_at = nowIso();
  return {
    user,
    ...(session.orgId ? { organization_id: session.orgId } : {}),
    access_token,
    refresh_token,
    authentication_method: session.authMethod,
  };
}

export function defaultOrgFor(state: StandInState, userId: string): string | undefined {
  const active = state.memberships.filter((m) => m.user_id === userId && m.status === 'active');
  return active.length === 1 ? active[0]!.organization_id : undefined;
}

const SESSION_AUTH_METHOD: Record<string, string> = {
  MagicAuth: 'magic_code',
  Password: 'password',
  SSO: 'sso',
  GoogleOAuth: 'oauth',
  MicrosoftOAuth: 'oauth',
  GitHubOAuth: 'oauth',
  AppleOAuth: 'oauth',
  Passkey: 'passkey',
  Impersonation: 'impersonation',
};

export function newSession(ctx: WorkOSContext, userId: string, authMethod: string, orgId?: string): Session {
  const s: Session = { id: newId('session'), userId, orgId, authMethod, revoked: false };
  ctx.sessions.set(s.id, s);
  // The event's session is the SDK's `SessionResponse`: its auth_method is snake_case ('magic_code'),
  // unlike the authenticate answer's authentication_method ('MagicAuth').
  const now = nowIso();
  recordEvent(ctx.state, 'session.created', {
    object: 'session',
    id: s.id,
    user_id: userId,
    ip_address: null,
    user_agent: null,
    ...(orgId ? { organization_id: orgId } : {}),
    auth_method: SESSION_AUTH_METHOD[authMethod] ?? 'unknown',
    status: 'active',
    expires_at: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
    ended_at: null,
    created_at: now,
    updated_at: now,
  });
  return s;
}
