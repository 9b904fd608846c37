/**
 * Organization selection during sign-in. When a user who belongs to several organizations signs in
 * (code exchange or magic code) and the environment asks for an organization, WorkOS answers the
 * authenticate call with 403 `organization_selection_required`, a `pending_authentication_token` and
 * the user's `organizations` ({id, name}); the app lets the user pick one and completes with
 * grant_type `urn:workos:oauth:grant-type:organization-selection` (the shapes of @workos-inc/node's
 * AuthenticationErrorData and its organization-selection serializer). Off unless a test turns it on
 * (`requireOrganizationSelection`): when WorkOS asks is an environment setting (UNCONFIRMED.md).
 */
import { randomBytes } from 'node:crypto';
import type { WorkOSContext } from './context.js';
import { ApiError, oauthError } from './errors.js';
import { issueTokens, newSession } from './tokens.js';
import type { User } from './types.js';

export const ORGANIZATION_SELECTION_GRANT = 'urn:workos:oauth:grant-type:organization-selection';

interface Pending {
  userId: string;
  authMethod: string;
  organizationIds: string[];
  expiresAt: number;
  used: boolean;
}

const pendingByContext = new WeakMap<WorkOSContext, Map<string, Pending>>();
const pendingOf = (ctx: WorkOSContext) => {
  let map = pendingByContext.get(ctx);
  if (!map) pendingByContext.set(ctx, (map = new Map()));
  return map;
};

/** Throws the 403 when this sign-in needs an organization picked; otherwise returns. */
export function requireOrganizationSelection(ctx: WorkOSContext, user: User, authMethod: string, orgId: string | undefined): void {
  if (!ctx.requireOrganizationSelection || orgId) return;
  const active = ctx.state.memberships.filter((m) => m.user_id === user.id && m.status === 'active');
  if (active.length < 2) return;
  const token = randomBytes(24).toString('base64url');
  const organizationIds = active.map((m) => m.organization_id);
  pendingOf(ctx).set(token, { userId: user.id, authMethod, organizationIds, expiresAt: Date.now() + 10 * 60_000, used: false });
  throw new ApiError(403, {
    code: 'organization_selection_required',
    message: 'The user must choose an organization to finish their authentication.',
    pending_authentication_token: token,
    user,
    organizations: organizationIds.map((id) => ({ id, name: ctx.state.organizations.find((o) => o.id === id)?.name ?? id })),
  });
}

/** The organization-selection grant: the pending token, and one of the organizations it offered. */
export function authenticateWithOrganizationSelection(ctx: WorkOSContext, body: Record<string, unknown>) {
  if (body.client_secret === undefined) throw oauthError(400, 'invalid_client', 'client_secret is required.');
  const token = typeof body.pending_authentication_token === 'string' ? body.pending_authentication_token : '';
  const pending = pendingOf(ctx).get(token);
  if (!pending || pending.used || pending.expiresAt < Date.now())
    throw oauthError(400, 'invalid_grant', 'The pending authentication token is invalid or has expired.');
  const orgId = typeof body.organization_id === 'string' ? body.organization_id : '';
  if (!pending.organizationIds.includes(orgId)) throw oauthError(400, 'invalid_grant', 'User is not a member of the organization.');
  pending.used = true;
  return issueTokens(ctx, newSession(ctx, pending.userId, pending.authMethod, orgId));
}
