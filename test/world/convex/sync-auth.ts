/**
 * Authenticate on the sync socket: an admin key, a user's JWT (checked against the providers of the
 * pushed auth.config.js, as the real deployment does) or none; and a user token expiring while in use.
 */
import { evaluateAuthConfig } from './auth-config.js';
import { keyAdministers } from './production-api.js';
import type { ConvexContext, DeploymentRuntime, SyncConnection } from './context.js';
import { judgeToken, type Verdict } from './token-judge.js';
import { send, transition } from './transitions.js';
import type { Deployment, Identity } from './types.js';

/** The stand-in's own judge (token-judge.ts), never the product's validator: they check each other. */
export async function checkUserToken(ctx: ConvexContext, d: Deployment, token: string, currentDate?: Date): Promise<Verdict> {
  const { providers, error } = evaluateAuthConfig(d);
  if (error) return { ok: false, problem: 'issuer', message: error };
  return judgeToken(token, providers, async (url) => {
    if (!ctx.jwks) throw new Error(`the Convex stand-in cannot resolve the JWKS at ${url} (no jwks option)`);
    return ctx.jwks(url);
  }, currentDate);
}

/** What `ctx.auth.getUserIdentity()` returns for these claims. */
/** The refusal's words, as Convex gives them on the sync socket and over HTTP. */
export const refusal = (v: Extract<Verdict, { ok: false }>) =>
  `Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired. (${v.message})`;

/** Judges a user's token and records the judgment on the deployment (tests read `authChecks`). */
export async function judgeUserToken(ctx: ConvexContext, d: Deployment, token: string, connection: number, currentDate?: Date): Promise<Verdict> {
  const check = await checkUserToken(ctx, d, token, currentDate);
  d.authChecks.push({
    at: ctx.now(),
    connection,
    tokenType: 'User',
    ok: check.ok,
    ...(check.ok ? {} : { problem: check.problem, message: check.message }),
    ...(check.claims ? { claims: check.claims as Record<string, unknown> } : {}),
    token,
  });
  return check;
}

export function identityFrom(claims: Record<string, unknown>): Identity {
  const { iss, sub, aud: _aud, exp: _exp, iat: _iat, nbf: _nbf, ...rest } = claims;
  const issuer = String(iss);
  const subject = String(sub);
  return { ...rest, issuer, subject, tokenIdentifier: `${issuer}|${subject}` };
}

function setToken(ctx: ConvexContext, rt: DeploymentRuntime, conn: SyncConnection, token: string | null, claims?: Record<string, unknown>): void {
  const d = rt.deployment;
  clearTimeout(conn.expiryTimer);
  conn.token = token;
  conn.identity = token && claims ? identityFrom(claims) : null;
  const exp = typeof claims?.exp === 'number' ? claims.exp : undefined;
  if (!token || exp === undefined) return;
  // Like the real backend: a token that expires while in use gets an AuthError that is not a
  // reply to an Authenticate (authUpdateAttempted: false); the client then fetches a new one.
  conn.expiryTimer = setTimeout(() => {
    if (conn.token !== token) return;
    d.authChecks.push({ at: ctx.now(), connection: conn.id, tokenType: 'User', ok: false, problem: 'expired', message: 'Token expired while in use', claims, token });
    conn.identity = null;
    send(ctx, rt, conn, { type: 'AuthError', error: 'Token expired', baseVersion: conn.identityVersion - 1, authUpdateAttempted: false });
  }, Math.max(0, exp * 1000 - Date.now()) + 50);
  conn.expiryTimer.unref();
}

/** Handles one Authenticate message; a bad admin key closes the socket. */
export async function authenticate(ctx: ConvexContext, rt: DeploymentRuntime, conn: SyncConnection, msg: Record<string, unknown>): Promise<void> {
  const d = rt.deployment;
  const baseVersion = typeof msg.baseVersion === 'number' ? msg.baseVersion : conn.identityVersion;
  if (msg.tokenType === 'Admin') {
    if (!keyAdministers(d, msg.value)) {
      send(ctx, rt, conn, { type: 'FatalError', error: 'BadAdminKey: The provided admin key was invalid for this instance' });
      conn.ws.close(1008, 'BadAdminKey');
      return;
    }
    conn.admin = true;
    setToken(ctx, rt, conn, null);
  } else if (msg.tokenType === 'User') {
    const token = typeof msg.value === 'string' ? msg.value : '';
    const check = await judgeUserToken(ctx, d, token, conn.id);
    if (!check.ok) {
      send(ctx, rt, conn, {
        type: 'AuthError',
        error: refusal(check),
        baseVersion,
        authUpdateAttempted: true,
      });
      return;
    }
    conn.admin = false;
    setToken(ctx, rt, conn, token, check.claims as Record<string, unknown>);
  } else {
    d.authChecks.push({ at: ctx.now(), connection: conn.id, tokenType: 'None', ok: true });
    conn.admin = false;
    setToken(ctx, rt, conn, null);
  }
  conn.identityVersion = baseVersion + 1;
  await transition(ctx, rt, conn);
}
