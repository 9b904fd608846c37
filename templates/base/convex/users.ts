import { query } from "./_generated/server";
import { authedQuery, getCurrentUser, getOrganization, orgQuery } from "./lib/auth";

/**
 * The signed-in user, or null when signed out (so pages can render a signed-out state
 * instead of an error).
 *
 * `profile` is the synced row from the `users` table (email, names, picture). It is null
 * until WorkOS's webhook has delivered the user, and always null if the app was created
 * without webhooks: the access token carries only the user id, organization and role.
 * In that case show the name and email from `useAuth().user` (client) or `withAuth()`
 * (server), which come from the WorkOS session itself.
 */
export const me = query({
  args: {},
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return null;
    const user = await getCurrentUser(ctx);
    const { organizationId, role } = getOrganization(identity);
    return {
      workosUserId: identity.subject,
      organizationId,
      role,
      profile: user && {
        email: user.email,
        emailVerified: user.emailVerified,
        firstName: user.firstName,
        lastName: user.lastName,
        profilePictureUrl: user.profilePictureUrl,
      },
    };
  },
});

/**
 * Example of a query that requires a signed-in user: throws UNAUTHENTICATED otherwise.
 * Lists the organizations the user belongs to: only active memberships, since pending
 * (invited) and inactive (deactivated) ones grant no access.
 */
export const myMemberships = authedQuery({
  args: {},
  handler: async (ctx) => {
    return await ctx.db
      .query("memberships")
      .withIndex("by_user_and_status", (q) => q.eq("workosUserId", ctx.userId).eq("status", "active"))
      .collect();
  },
});

/**
 * Example of a query restricted to admins of the session's organization: its members,
 * pending and inactive ones included (each row has its `status`), so an admin sees them.
 */
export const organizationMembers = orgQuery({
  role: "admin",
  args: {},
  handler: async (ctx) => {
    return await ctx.db
      .query("memberships")
      .withIndex("by_organization", (q) => q.eq("workosOrganizationId", ctx.organizationId))
      .collect();
  },
});
