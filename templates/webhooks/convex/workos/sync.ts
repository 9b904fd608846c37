// Writes WorkOS users, organizations and memberships into Convex.
//
// Called by the webhook (convex/http.ts) and the backfill (convex/workos/backfill.ts); both
// are internal, so nothing outside the deployment can call them.
//
// Every write is idempotent and order-safe:
//   - an event is applied only if its WorkOS `updated_at` is newer than the stored row's,
//     so a duplicate delivery or an older event arriving late changes nothing;
//   - a delete removes the row and remembers the id (table `deletions`): WorkOS never
//     reuses ids, so a late event about a deleted object cannot bring it back;
//   - memberships reference users and organizations by WorkOS id, so a membership that
//     arrives before its user or organization is stored all the same.
import { v, type Infer } from "convex/values";
import { internalMutation, type MutationCtx } from "../_generated/server";

export const userFields = v.object({
  workosId: v.string(),
  email: v.string(),
  emailVerified: v.boolean(),
  firstName: v.union(v.string(), v.null()),
  lastName: v.union(v.string(), v.null()),
  profilePictureUrl: v.union(v.string(), v.null()),
  updatedAt: v.string(),
});

export const organizationFields = v.object({
  workosId: v.string(),
  name: v.string(),
  domains: v.array(v.string()),
  updatedAt: v.string(),
});

export const membershipFields = v.object({
  workosId: v.string(),
  workosUserId: v.string(),
  workosOrganizationId: v.string(),
  role: v.string(),
  roles: v.optional(v.array(v.string())),
  status: v.string(),
  updatedAt: v.string(),
});

type SyncedTable = "users" | "organizations" | "memberships";
type Fields = {
  users: Infer<typeof userFields>;
  organizations: Infer<typeof organizationFields>;
  memberships: Infer<typeof membershipFields>;
};
export type SyncResult = "inserted" | "updated" | "unchanged" | "deleted";

/** True when WorkOS timestamp `a` is strictly later than `b`. */
function isNewer(a: string, b: string) {
  return Date.parse(a) > Date.parse(b);
}

async function isDeleted(ctx: MutationCtx, workosId: string) {
  const deletion = await ctx.db
    .query("deletions")
    .withIndex("by_workos_id", (q) => q.eq("workosId", workosId))
    .first();
  return deletion !== null;
}

async function findRow(ctx: MutationCtx, table: SyncedTable, workosId: string) {
  // The three tables share the `by_workos_id` index; TypeScript cannot see that through
  // the `table` union, hence the narrow cast.
  return await ctx.db
    .query(table as "users")
    .withIndex("by_workos_id", (q) => q.eq("workosId", workosId))
    .unique();
}

async function upsert<T extends SyncedTable>(
  ctx: MutationCtx,
  table: T,
  fields: Fields[T],
): Promise<SyncResult> {
  if (await isDeleted(ctx, fields.workosId)) return "unchanged";
  const existing = await findRow(ctx, table, fields.workosId);
  if (existing === null) {
    await ctx.db.insert(table as "users", fields as Fields["users"]);
    return "inserted";
  }
  if (!isNewer(fields.updatedAt, existing.updatedAt)) return "unchanged";
  await ctx.db.replace(existing._id, fields as Fields["users"]);
  return "updated";
}

async function remove(ctx: MutationCtx, table: SyncedTable, workosId: string): Promise<SyncResult> {
  if (!(await isDeleted(ctx, workosId))) {
    await ctx.db.insert("deletions", { workosId });
  }
  const existing = await findRow(ctx, table, workosId);
  if (existing === null) return "unchanged";
  await ctx.db.delete(existing._id);
  return "deleted";
}

export const upsertUser = internalMutation({
  args: { user: userFields },
  handler: (ctx, { user }) => upsert(ctx, "users", user),
});

export const deleteUser = internalMutation({
  args: { workosId: v.string() },
  handler: (ctx, { workosId }) => remove(ctx, "users", workosId),
});

export const upsertOrganization = internalMutation({
  args: { organization: organizationFields },
  handler: (ctx, { organization }) => upsert(ctx, "organizations", organization),
});

export const deleteOrganization = internalMutation({
  args: { workosId: v.string() },
  handler: (ctx, { workosId }) => remove(ctx, "organizations", workosId),
});

export const upsertMembership = internalMutation({
  args: { membership: membershipFields },
  handler: (ctx, { membership }) => upsert(ctx, "memberships", membership),
});

export const deleteMembership = internalMutation({
  args: { workosId: v.string() },
  handler: (ctx, { workosId }) => remove(ctx, "memberships", workosId),
});

/** Used by the backfill: one transaction per page instead of one per row. */
export const upsertMany = internalMutation({
  args: {
    users: v.optional(v.array(userFields)),
    organizations: v.optional(v.array(organizationFields)),
    memberships: v.optional(v.array(membershipFields)),
  },
  handler: async (ctx, args) => {
    for (const user of args.users ?? []) await upsert(ctx, "users", user);
    for (const organization of args.organizations ?? [])
      await upsert(ctx, "organizations", organization);
    for (const membership of args.memberships ?? [])
      await upsert(ctx, "memberships", membership);
  },
});
