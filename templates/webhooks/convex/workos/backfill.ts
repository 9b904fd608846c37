import { v } from "convex/values";
import { internal } from "../_generated/api";
import { internalAction } from "../_generated/server";
import { createWorkOS } from "./client";
import { toMembership, toOrganization, toUser } from "./convert";

/**
 * Copies every existing WorkOS user, organization and membership into Convex: run it once
 * for users who signed up before the webhook existed (safe to run again at any time):
 *
 *   npx convex run workos/backfill:run
 *
 * It pages through the WorkOS API and writes one page per transaction. Rows that are
 * already newer in Convex are left alone.
 */
export const run = internalAction({
  args: { pageSize: v.optional(v.number()) },
  handler: async (ctx, { pageSize = 100 }) => {
    const workos = createWorkOS();
    const counts = { users: 0, organizations: 0, memberships: 0 };
    const organizationIds: string[] = [];

    let after: string | undefined;
    do {
      const page = await workos.userManagement.listUsers({ limit: pageSize, after });
      const users = page.data.map(toUser).filter((u) => u !== null);
      await ctx.runMutation(internal.workos.sync.upsertMany, { users });
      counts.users += users.length;
      after = page.listMetadata.after ?? undefined;
    } while (after);

    do {
      const page = await workos.organizations.listOrganizations({ limit: pageSize, after });
      const organizations = page.data.map(toOrganization).filter((o) => o !== null);
      await ctx.runMutation(internal.workos.sync.upsertMany, { organizations });
      counts.organizations += organizations.length;
      organizationIds.push(...organizations.map((o) => o.workosId));
      after = page.listMetadata.after ?? undefined;
    } while (after);

    // WorkOS lists memberships per organization (or per user).
    for (const organizationId of organizationIds) {
      do {
        const page = await workos.userManagement.listOrganizationMemberships({
          organizationId,
          limit: pageSize,
          after,
        });
        const memberships = page.data.map(toMembership).filter((m) => m !== null);
        await ctx.runMutation(internal.workos.sync.upsertMany, { memberships });
        counts.memberships += memberships.length;
        after = page.listMetadata.after ?? undefined;
      } while (after);
    }

    console.log(
      `Backfill done: ${counts.users} users, ${counts.organizations} organizations, ${counts.memberships} memberships`,
    );
    return counts;
  },
});
