// Writes WorkOS users, organizations and memberships into Convex.
//
// Called by the webhook (convex/http.ts), the catch-up from the WorkOS Events API
// (convex/workos/catchUp.ts) and the backfill (convex/workos/backfill.ts); all are internal,
// so nothing outside the deployment can call them.
//
// Every write is idempotent and order-safe:
//   - an event is applied once: its id is remembered (table `workosEvents`, kept 30 days), so
//     a second delivery of the same event changes nothing;
//   - a change is applied only if it is newer than the stored row: WorkOS's `updated_at`
//     first; on a tie, the event's `created_at`, then its id (WorkOS event ids sort by time).
//     So an older event arriving late changes nothing, and of two changes made in the same
//     millisecond the later event wins;
//   - a delete removes the row and remembers the id (table `deletions`): WorkOS never
//     reuses ids, so a late event about a deleted object cannot bring it back. Deleting a
//     user or an organization also deletes its memberships;
//   - memberships reference users and organizations by WorkOS id, so a membership that
//     arrives before its user or organization is stored all the same (but not one whose user
//     or organization was deleted).
import { v, type Infer, type ObjectType } from "convex/values";
import { internal } from "../_generated/api";
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

const syncedTable = v.union(v.literal("users"), v.literal("organizations"), v.literal("memberships"));

/** One change to apply: a row to write, or a WorkOS id to delete. */
export const changeFields = v.union(
  v.object({ upsert: v.literal("users"), row: userFields }),
  v.object({ upsert: v.literal("organizations"), row: organizationFields }),
  v.object({ upsert: v.literal("memberships"), row: membershipFields }),
  v.object({ delete: syncedTable, workosId: v.string() }),
);
export type Change = Infer<typeof changeFields>;
export type Upsert = Extract<Change, { upsert: string }>;

/** The WorkOS event a change comes from: its id ("event_…") and `created_at`. */
export const eventFields = v.object({ id: v.string(), createdAt: v.string() });
type EventRef = Infer<typeof eventFields>;

type SyncedTable = Infer<typeof syncedTable>;
export type SyncResult = "inserted" | "updated" | "unchanged" | "deleted" | "duplicate";

/** A timestamp as a number; one that cannot be parsed counts as the oldest possible. */
function time(value: string | undefined) {
  const t = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(t) ? -Infinity : t;
}

function compare(a: number | string, b: number | string) {
  return a === b ? 0 : a > b ? 1 : -1;
}

type Version = { updatedAt: string; lastEvent?: EventRef; backfillPass?: number };

/**
 * Orders two versions of a row: > 0 when `a` is newer. A row the backfill wrote has no event
 * and loses a tie to one that came with an event. A stored date that cannot be parsed counts
 * as the oldest, so it never stops later changes.
 */
function compareVersions(a: Version, b: Version) {
  return (
    compare(time(a.updatedAt), time(b.updatedAt)) ||
    compare(time(a.lastEvent?.createdAt), time(b.lastEvent?.createdAt)) ||
    compare(a.lastEvent?.id ?? "", b.lastEvent?.id ?? "")
  );
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

/**
 * Writes a row unless the stored one is as new. `event`: the WorkOS event it comes from (none
 * from the backfill). `pass`: the backfill pass that listed it, kept on the row even when
 * nothing else changes, so the pass can tell which rows WorkOS no longer has.
 */
async function upsert(
  ctx: MutationCtx,
  { upsert: table, row }: Upsert,
  event?: EventRef,
  pass?: number,
): Promise<SyncResult> {
  if (await isDeleted(ctx, row.workosId)) return "unchanged";
  if (
    table === "memberships" &&
    ((await isDeleted(ctx, row.workosUserId)) || (await isDeleted(ctx, row.workosOrganizationId)))
  ) {
    return "unchanged";
  }
  const existing = await findRow(ctx, table, row.workosId);
  const backfillPass = pass ?? existing?.backfillPass;
  // The row as stored: the fields, the event they came from, the last backfill pass that saw it.
  const fields = {
    ...row,
    ...(event ? { lastEvent: event } : {}),
    ...(backfillPass !== undefined ? { backfillPass } : {}),
  } as typeof row & Version;
  if (existing === null) {
    await ctx.db.insert(table as "users", fields as Infer<typeof userFields>);
    return "inserted";
  }
  if (compareVersions(fields, existing) <= 0) {
    if (backfillPass !== existing.backfillPass) await ctx.db.patch(existing._id, { backfillPass });
    return "unchanged";
  }
  await ctx.db.replace(existing._id, fields as Infer<typeof userFields>);
  return "updated";
}

/** When WorkOS last changed a row, as far as we know (ms; -Infinity when unknown). */
export function lastChangedAt(row: Version) {
  return Math.max(time(row.updatedAt), time(row.lastEvent?.createdAt));
}

export async function remove(ctx: MutationCtx, table: SyncedTable, workosId: string): Promise<SyncResult> {
  if (!(await isDeleted(ctx, workosId))) {
    await ctx.db.insert("deletions", { workosId });
  }
  if (table !== "memberships") await removeMemberships(ctx, table, workosId);
  const existing = await findRow(ctx, table, workosId);
  if (existing === null) return "unchanged";
  await ctx.db.delete(existing._id);
  return "deleted";
}

/** How many memberships one transaction deletes; the rest follow in a scheduled mutation. */
const CASCADE_BATCH = 500;

/** Deletes the memberships of a deleted user or organization, so they stop granting access. */
async function removeMemberships(ctx: MutationCtx, of: "users" | "organizations", workosId: string) {
  const query = ctx.db.query("memberships");
  const batch = await (of === "users"
    ? query.withIndex("by_user", (q) => q.eq("workosUserId", workosId))
    : query.withIndex("by_organization", (q) => q.eq("workosOrganizationId", workosId))
  ).take(CASCADE_BATCH + 1);
  for (const membership of batch.slice(0, CASCADE_BATCH)) {
    await remove(ctx, "memberships", membership.workosId);
  }
  if (batch.length > CASCADE_BATCH) {
    await ctx.scheduler.runAfter(0, internal.workos.sync.continueCascade, { of, workosId });
  }
}

/** Applies one WorkOS event, once (a second delivery of the same event id is a "duplicate"). */
export async function applyOnce(ctx: MutationCtx, event: EventRef, change: Change): Promise<SyncResult> {
  const seen = await ctx.db
    .query("workosEvents")
    .withIndex("by_event_id", (q) => q.eq("eventId", event.id))
    .first();
  if (seen !== null) return "duplicate";
  await ctx.db.insert("workosEvents", { eventId: event.id });
  return "upsert" in change
    ? await upsert(ctx, change, event)
    : await remove(ctx, change.delete, change.workosId);
}

/** Applies one WorkOS event from the webhook. */
export const applyEvent = internalMutation({
  args: { event: eventFields, change: changeFields },
  handler: (ctx, { event, change }): Promise<SyncResult> => applyOnce(ctx, event, change),
});

/** The rest of a large cascade (see removeMemberships). */
export const continueCascade = internalMutation({
  args: { of: v.union(v.literal("users"), v.literal("organizations")), workosId: v.string() },
  handler: async (ctx, { of, workosId }): Promise<void> => {
    await removeMemberships(ctx, of, workosId);
  },
});

export const rowsFields = {
  users: v.optional(v.array(userFields)),
  organizations: v.optional(v.array(organizationFields)),
  memberships: v.optional(v.array(membershipFields)),
};
type Rows = ObjectType<typeof rowsFields>;

/** Writes rows listed by the WorkOS API (the backfill `pass`): each only if newer than the stored one. */
export async function upsertRows(ctx: MutationCtx, rows: Rows, pass?: number): Promise<void> {
  for (const row of rows.users ?? []) await upsert(ctx, { upsert: "users", row }, undefined, pass);
  for (const row of rows.organizations ?? []) {
    await upsert(ctx, { upsert: "organizations", row }, undefined, pass);
  }
  for (const row of rows.memberships ?? []) {
    await upsert(ctx, { upsert: "memberships", row }, undefined, pass);
  }
}

/** Rows from the WorkOS API in one transaction (used by tests; the backfill saves its cursor too). */
export const upsertMany = internalMutation({
  args: rowsFields,
  handler: (ctx, rows): Promise<void> => upsertRows(ctx, rows),
});

/** How long event ids are remembered: longer than WorkOS retries a failed delivery. */
const EVENT_ID_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Forgets event ids older than the retention, a batch at a time (daily, see convex/crons.ts). */
export const pruneEventIds = internalMutation({
  args: {},
  handler: async (ctx): Promise<void> => {
    const cutoff = Date.now() - EVENT_ID_RETENTION_MS;
    const old = await ctx.db
      .query("workosEvents")
      .withIndex("by_creation_time", (q) => q.lt("_creationTime", cutoff))
      .take(1000);
    for (const row of old) await ctx.db.delete(row._id);
    if (old.length === 1000) await ctx.scheduler.runAfter(0, internal.workos.sync.pruneEventIds, {});
  },
});
