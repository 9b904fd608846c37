/** POST /user_management/authenticate: the code, refresh token, magic-auth and organization-selection grants. */
import { createHash } from 'node:crypto';
import { safeEqual } from './checks.js';
import type { WorkOSContext } from './context.js';
import { ApiError, oauthError } from './errors.js';
import { acceptInvitation } from './accept-invitation.js';
import { authenticateWithOrganizationSelection, ORGANIZATION_SELECTION_GRANT, requireOrganizationSelection } from './organization-selection.js';
import { findOrCreateUserByEmail, recordEvent } from './records.js';
import { defaultOrgFor, issueTokens, newSession } from './tokens.js';

export async function authenticate(ctx: WorkOSContext, body: Record<string, unknown>) {
  const { state } = ctx;
  const grant = body.grant_type;
  if (body.client_id !== ctx.clientId) throw oauthError(400, 'invalid_client', 'Invalid client ID.');
  const secret = body.client_secret;
  if (secret !== undefined && (typeof secret !== 'string' || !safeEqual(secret, ctx.apiKey)))
    throw oauthError(401, 'invalid_client', 'Invalid client secret.');
  const refused = ctx.grantFaults?.take(grant);
  if (refused) throw refused;

  if (grant === 'authorization_code') {
    const code = typeof body.code === 'string' ? ctx.codes.get(body.code) : undefined;
    if (!code || code.used || code.expiresAt < Date.now())
      throw oauthError(400, 'invalid_grant', 'The code is invalid or has expired.');
    if (code.codeChallenge) {
      const verifier = body.code_verifier;
      if (typeof verifier !== 'string') throw oauthError(400, 'invalid_grant', 'code_verifier is required.');
      const computed =
        code.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
      if (computed !== code.codeChallenge) throw oauthError(400, 'invalid_grant', 'Invalid PKCE code verifier.');
    } else if (secret === undefined) {
      throw oauthError(400, 'invalid_client', 'client_secret or code_verifier is required.');
    }
    code.used = true;
    const codeUser = state.users.find((u) => u.id === code.userId);
    const orgId = (codeUser && acceptInvitation(state, body.invitation_token, codeUser)) || code.orgId;
    if (codeUser) requireOrganizationSelection(ctx, codeUser, code.authMethod, orgId);
    const session = newSession(ctx, code.userId, code.authMethod, orgId);
    return issueTokens(ctx, session);
  }

  if (grant === 'refresh_token') {
    const rt = typeof body.refresh_token === 'string' ? ctx.refreshTokens.get(body.refresh_token) : undefined;
    if (!rt || rt.used) throw oauthError(400, 'invalid_grant', 'Invalid refresh token.');
    const session = ctx.sessions.get(rt.sessionId);
    if (!session || session.revoked) throw oauthError(400, 'invalid_grant', 'Session has already ended.');
    const orgId = typeof body.organization_id === 'string' && body.organization_id ? body.organization_id : undefined;
    if (orgId && orgId !== session.orgId) {
      const member = state.memberships.some(
        (x) => x.user_id === session.userId && x.organization_id === orgId && x.status === 'active',
      );
      if (!member) throw oauthError(400, 'invalid_grant', 'User is not a member of the organization.');
      session.orgId = orgId;
    }
    rt.used = true;
    return issueTokens(ctx, session);
  }

  if (grant === 'urn:workos:oauth:grant-type:magic-auth:code') {
    if (secret === undefined) throw oauthError(400, 'invalid_client', 'client_secret is required.');
    const email = typeof body.email === 'string' ? body.email.toLowerCase() : '';
    const rec = [...state.magicCodes]
      .reverse()
      .find((c) => c.email === email && !c.used && c.code === body.code && Date.parse(c.expires_at) > Date.now());
    if (!rec) {
      recordEvent(state, 'authentication.magic_auth_failed', { type: 'magic_auth', status: 'failed', email, user_id: null, ip_address: null, user_agent: null, error: { code: 'invalid_one_time_code', message: 'Invalid code.' } });
      throw new ApiError(400, { code: 'invalid_one_time_code', message: 'The code is invalid or has expired.' });
    }
    rec.used = true;
    const user = state.users.find((u) => u.id === rec.user_id) ?? findOrCreateUserByEmail(state, email);
    user.email_verified = true;
    recordEvent(state, 'authentication.magic_auth_succeeded', { type: 'magic_auth', status: 'succeeded', email, user_id: user.id, ip_address: null, user_agent: null });
    // An invitation's token makes the new (or existing) user a member, and the session starts in its organization.
    const orgId = acceptInvitation(state, body.invitation_token, user) ?? defaultOrgFor(state, user.id);
    requireOrganizationSelection(ctx, user, 'MagicAuth', orgId);
    const session = newSession(ctx, user.id, 'MagicAuth', orgId);
    return issueTokens(ctx, session);
  }

  if (grant === ORGANIZATION_SELECTION_GRANT) return authenticateWithOrganizationSelection(ctx, body);

  throw oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${String(grant)}`);
}
