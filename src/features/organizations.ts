/**
 * Organizations end to end: the member's organizations with a switcher, create and invite; roles and
 * permissions declared in workos/roles.json (created in WorkOS by src/steps/organizations/) and checked
 * in Convex against the synced membership (convex/lib/organizations.ts); organization-scoped example
 * data (convex/projects.ts). Needs the webhook sync: memberships decide access.
 */
import type { Feature } from './types.js';

export const feature: Feature = {
  id: 'organizations',
  order: 40,
  option: {
    default: false,
    description: 'Add organizations: a switcher, create and invite, roles and permissions checked in Convex, organization-scoped example data',
    addDescription: 'Add organizations to an existing project (it needs the webhook sync: add --add-webhooks if it has none)',
  },
  requires: ['webhooks'],
  // Its webhook code keeps the organizations' invitations (convex/organizations/invitations.ts).
  workos: { webhookEvents: ['invitation.created', 'invitation.accepted', 'invitation.revoked', 'invitation.resent'] },
  // Adding it again creates the roles of workos/roles.json in WorkOS again (doctor's fix for a drift).
  addAgainRepairs: true,
  async doctorChecks() {
    const { rolesMatch } = await import('../doctor/checks/roles.js');
    return { workos: [rolesMatch] };
  },
  // Its files (and the push they need); the roles step runs on every run anyway.
  rerun: ['templates'],
};
