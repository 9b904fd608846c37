// The organizations the signed-in user is an active member of, for the switcher
// (src/app/dashboard/organizations/). Read from the synced tables, so it follows WorkOS live.
import { query } from "../_generated/server";

export const list = query({
  args: {},
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return [];
    const memberships = await ctx.db
      .query("memberships")
      .withIndex("by_user_and_status", (q) => q.eq("workosUserId", identity.subject).eq("status", "active"))
      .take(100);
    const organizations = await Promise.all(
      memberships.map(async (m) => {
        const organization = await ctx.db
          .query("organizations")
          .withIndex("by_workos_id", (q) => q.eq("workosId", m.workosOrganizationId))
          .unique();
        return { organizationId: m.workosOrganizationId, name: organization?.name ?? m.workosOrganizationId, role: m.role };
      }),
    );
    return organizations.sort((a, b) => a.name.localeCompare(b.name));
  },
});
