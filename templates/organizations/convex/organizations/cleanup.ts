// Removes the data of a deleted organization (the sync schedules it: convex/workos/sync.ts).
// Memberships go at once with the organization; its own rows go here, a batch per transaction,
// so an organization with many rows never exceeds one mutation's limits.
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { internalMutation } from "../_generated/server";

const BATCH = 500;

export const removeOrganizationData = internalMutation({
  args: { workosOrganizationId: v.string() },
  handler: async (ctx, { workosOrganizationId }): Promise<void> => {
    const batch = await ctx.db
      .query("projects")
      .withIndex("by_organization", (q) => q.eq("workosOrganizationId", workosOrganizationId))
      .take(BATCH);
    for (const project of batch) await ctx.db.delete(project._id);
    // Then its invitations (the index starts with the organization: every state).
    const invitations =
      batch.length < BATCH
        ? await ctx.db
            .query("invitations")
            .withIndex("by_organization_and_state", (q) => q.eq("workosOrganizationId", workosOrganizationId))
            .take(BATCH - batch.length)
        : [];
    for (const invitation of invitations) await ctx.db.delete(invitation._id);
    if (batch.length + invitations.length === BATCH) {
      await ctx.scheduler.runAfter(0, internal.organizations.cleanup.removeOrganizationData, { workosOrganizationId });
    }
  },
});
