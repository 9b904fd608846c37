/**
 * What the organizations feature's forms call: a membership made through the API (the creator of an
 * organization becomes its admin) and invitations by email, with the SDK's shapes
 * (OrganizationMembershipResponse, InvitationResponse) and their events (organization_membership.created,
 * invitation.created); one by id or by token. Accepting one at sign-up: accept-invitation.ts.
 */
import { ok, type ApiRequest, type Out, type WorkOSContext } from './context.js';
import { ApiError, notFound, unprocessable } from './errors.js';
import { newId, nowIso, randomToken } from './ids.js';
import { paginate } from './paginate.js';
import { addMembership, recordEvent } from './records.js';
import { rolesOf } from './roles.js';
import type { StandInState } from './types.js';

export interface InvitationRecord {
  object: 'invitation';
  id: string;
  email: string;
  state: 'pending' | 'accepted' | 'expired' | 'revoked';
  accepted_at: string | null;
  revoked_at: string | null;
  expires_at: string;
  organization_id: string | null;
  inviter_user_id: string | null;
  accepted_user_id: string | null;
  role_slug: string | null;
  token: string;
  accept_invitation_url: string;
  created_at: string;
  updated_at: string;
}

const invitationsByState = new WeakMap<StandInState, InvitationRecord[]>();
export function invitationsOf(state: StandInState): InvitationRecord[] {
  let list = invitationsByState.get(state);
  if (!list) invitationsByState.set(state, (list = []));
  return list;
}

function knownRole(state: StandInState, slug: unknown): string | undefined {
  if (slug === undefined) return undefined;
  if (typeof slug !== 'string' || !rolesOf(state).roles.some((r) => r.slug === slug))
    throw unprocessable('Validation failed', [{ field: 'role_slug', code: 'role_slug is not a role of this environment' }]);
  return slug;
}

export function invitationRoutes(ctx: WorkOSContext, { method, path, query, body }: ApiRequest): Out | undefined {
  const { state } = ctx;
  if (method === 'POST' && path === '/user_management/organization_memberships') {
    const userId = body.user_id;
    const organizationId = body.organization_id;
    if (typeof userId !== 'string' || !state.users.some((u) => u.id === userId)) throw notFound('User', String(userId));
    if (typeof organizationId !== 'string' || !state.organizations.some((o) => o.id === organizationId))
      throw notFound('Organization', String(organizationId));
    if (state.memberships.some((m) => m.user_id === userId && m.organization_id === organizationId))
      throw new ApiError(409, { message: 'The user is already a member of the organization.', code: 'organization_membership_already_exists' });
    return ok(addMembership(state, { user_id: userId, organization_id: organizationId, role: knownRole(state, body.role_slug) }), 201);
  }
  const one = method === 'GET' ? /^\/user_management\/invitations\/(by_token\/)?([^/]+)$/.exec(path) : null;
  if (one) {
    const key = decodeURIComponent(one[2]!);
    const found = invitationsOf(state).find((i) => (one[1] ? i.token : i.id) === key);
    if (!found) throw notFound('Invitation', key);
    return ok(found);
  }
  if (path === '/user_management/invitations') {
    const list = invitationsOf(state);
    if (method === 'GET') {
      return ok(paginate(list.filter((i) => (!query.organization_id || i.organization_id === query.organization_id) && (!query.email || i.email === query.email)), query));
    }
    if (method === 'POST') {
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw unprocessable('Validation failed', [{ field: 'email', code: 'email is invalid' }]);
      const organizationId = typeof body.organization_id === 'string' ? body.organization_id : null;
      if (organizationId && !state.organizations.some((o) => o.id === organizationId)) throw notFound('Organization', organizationId);
      if (list.some((i) => i.email === email && i.organization_id === organizationId && i.state === 'pending'))
        throw new ApiError(400, { message: 'An invitation has already been sent to this email.', code: 'invite_already_exists' });
      const days = typeof body.expires_in_days === 'number' ? body.expires_in_days : 7;
      const ts = nowIso();
      const token = randomToken(18);
      const invitation: InvitationRecord = {
        object: 'invitation',
        id: newId('invitation'),
        email,
        state: 'pending',
        accepted_at: null,
        revoked_at: null,
        expires_at: new Date(Date.now() + days * 86_400_000).toISOString(),
        organization_id: organizationId,
        inviter_user_id: typeof body.inviter_user_id === 'string' ? body.inviter_user_id : null,
        accepted_user_id: null,
        role_slug: knownRole(state, body.role_slug) ?? null,
        token,
        accept_invitation_url: `${ctx.issuer.replace(/\/user_management\/.*$/, '')}/invite?invitation_token=${token}`,
        created_at: ts,
        updated_at: ts,
      };
      list.push(invitation);
      // The event's data has no token or URL (the SDK's InvitationEventResponse).
      const { token: _t, accept_invitation_url: _u, ...eventData } = invitation;
      recordEvent(state, 'invitation.created', eventData);
      return ok(invitation, 201);
    }
  }
  return undefined;
}
