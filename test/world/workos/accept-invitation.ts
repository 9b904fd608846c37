/**
 * Accepting an invitation at sign-up or sign-in, as WorkOS does when the authenticate call (magic code or
 * code exchange) or the hosted sign-in's authorize URL carries `invitation_token` (the SDK's
 * `invitationToken`): the pending invitation becomes `accepted` (accepted_at, accepted_user_id), the user
 * becomes a member of its organization with the invitation's role, and `invitation.accepted` then
 * `organization_membership.created` are recorded. The session is then scoped to that organization.
 * A token of no pending, unexpired invitation, or of another email, refuses the sign-in (the error codes
 * are the stand-in's guess: UNCONFIRMED.md).
 */
import { ApiError } from './errors.js';
import { invitationsOf } from './invitation-routes.js';
import { nowIso } from './ids.js';
import { addMembership, recordEvent } from './records.js';
import type { StandInState, User } from './types.js';

/** Accepts the invitation of `token` for `user`; answers the organization the session should be in (if any). */
export function acceptInvitation(state: StandInState, token: unknown, user: User): string | undefined {
  if (token === undefined || token === '') return undefined;
  const invitation = invitationsOf(state).find((i) => typeof token === 'string' && i.token === token);
  // The hosted page accepted it already and the code exchange carries the same token: nothing more.
  if (invitation?.state === 'accepted' && invitation.accepted_user_id === user.id) return invitation.organization_id ?? undefined;
  if (!invitation || invitation.state !== 'pending' || Date.parse(invitation.expires_at) <= Date.now())
    throw new ApiError(400, { code: 'invitation_invalid', message: 'The invitation is invalid, expired or already accepted.' });
  if (invitation.email !== user.email)
    throw new ApiError(400, { code: 'invitation_email_mismatch', message: "The invitation was sent to another email than the user's." });
  const ts = nowIso();
  Object.assign(invitation, { state: 'accepted', accepted_at: ts, accepted_user_id: user.id, updated_at: ts });
  // The event's data has no token or URL (the SDK's InvitationEventResponse).
  const { token: _t, accept_invitation_url: _u, ...eventData } = invitation;
  recordEvent(state, 'invitation.accepted', eventData);
  const orgId = invitation.organization_id;
  if (!orgId) return undefined;
  if (!state.memberships.some((m) => m.user_id === user.id && m.organization_id === orgId))
    addMembership(state, { user_id: user.id, organization_id: orgId, role: invitation.role_slug ?? undefined });
  return orgId;
}
