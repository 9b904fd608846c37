import { v, type Infer } from "convex/values";
import { internal } from "../_generated/api";
import {
  internalAction,
  internalMutation,
  internalQuery,
  type ActionCtx,
  type QueryCtx,
} from "../_generated/server";
import { createWorkOS } from "./client";
import { isDate, toMembership, toOrganization, toUser } from "./convert";
import { lastChangedAt, remove, rowsFields, upsertRows } from "./sync";

/**
 * Copies every existing WorkOS user, organization and membership into Convex: run it once
 * for users who signed up before the webhook existed (safe to run again at any time):
 *
 *   npx convex run workos/backfill:run
 *
 * It pages through the WorkOS API (users, then organizations, then each organization's
 * memberships) and writes each page in one transaction together with where it got to, so it
 * can stop at any page and go on from there: a run that fails resumes where it stopped when
 * run again, and a long one goes on in new actions before the action time limit. A finished
 * pass starts over; `{ "restart": true }` starts over at once. Rows that are already newer in
 * Convex are left alone. After a full pass, the rows WorkOS no longer has (deleted while no
 * webhook reached us) are deleted here too.
 */
export const run = internalAction({
  args: {
    pageSize: v.optional(v.number()),
    restart: v.optional(v.boolean()),
    timeBudgetMs: v.optional(v.number()),
  },
  handler: async (ctx, { pageSize = 100, restart = false, timeBudgetMs = 60_000 }): Promise<Progress> => {
    const workos = createWorkOS();
    const started = Date.now();
    let position = await ctx.runMutation(internal.workos.backfill.start, { restart });
    while (position.phase !== "done") {
      let progress;
      if (position.phase.startsWith("prune")) {
        progress = await ctx.runMutation(internal.workos.backfill.prunePage, { from: position });
      } else {
        const { rows, next } = await fetchPage(ctx, workos, position, pageSize);
        progress = await ctx.runMutation(internal.workos.backfill.savePage, { from: position, to: next, ...rows });
      }
      if (progress === null) {
        console.log("Another backfill run is further along; this one stops.");
        return await ctx.runQuery(internal.workos.backfill.progress, {});
      }
      position = progress.next;
      if (position.phase !== "done" && Date.now() - started > timeBudgetMs) {
        await ctx.scheduler.runAfter(0, internal.workos.backfill.run, { pageSize, timeBudgetMs });
        console.log("Backfill goes on in a new action", progress.counts);
        return { done: false, ...progress.counts };
      }
    }
    const done = await ctx.runQuery(internal.workos.backfill.progress, {});
    console.log(
      `Backfill done: ${done.users} users, ${done.organizations} organizations, ${done.memberships} memberships; ` +
        `${done.pruned} rows WorkOS no longer has were deleted`,
    );
    return done;
  },
});

/**
 * Where the backfill is: a phase, and within it the list cursor (and organization). After
 * the memberships come the prune phases, which page through our own tables.
 */
const positionFields = v.object({
  phase: v.union(
    v.literal("users"),
    v.literal("organizations"),
    v.literal("memberships"),
    v.literal("pruneUsers"),
    v.literal("pruneOrganizations"),
    v.literal("pruneMemberships"),
    v.literal("done"),
  ),
  cursor: v.optional(v.string()),
  organizationId: v.optional(v.string()),
});
type Position = Infer<typeof positionFields>;
type Counts = { users: number; organizations: number; memberships: number; pruned: number };
type Progress = Counts & { done: boolean };
const noCounts: Counts = { users: 0, organizations: 0, memberships: 0, pruned: 0 };

/** Reads one page of the current phase from WorkOS, and says where the next page is. */
async function fetchPage(
  ctx: ActionCtx,
  workos: ReturnType<typeof createWorkOS>,
  { phase, cursor, organizationId }: Position,
  limit: number,
) {
  const list = { limit, after: cursor };
  if (phase === "users") {
    const page = await workos.userManagement.listUsers(list);
    const users = valid(page.data.map(toUser));
    const after = page.listMetadata.after;
    const next: Position = after ? { phase, cursor: after } : { phase: "organizations" };
    return { rows: { users }, next };
  }
  if (phase === "organizations") {
    const page = await workos.organizations.listOrganizations(list);
    const organizations = valid(page.data.map(toOrganization));
    const after = page.listMetadata.after;
    // After the last page of organizations, the memberships of each (those of this page included).
    const next: Position = after ? { phase, cursor: after } : await nextOrganization(ctx, undefined);
    return { rows: { organizations }, next };
  }
  // WorkOS lists memberships per organization (or per user).
  if (organizationId === undefined) return { rows: {}, next: await nextOrganization(ctx, undefined) };
  const page = await workos.userManagement
    .listOrganizationMemberships({ ...list, organizationId })
    // An organization deleted in WorkOS since it was synced has no memberships to copy.
    .catch((error: { status?: number }) => {
      if (error?.status === 404) return { data: [], listMetadata: { after: undefined } };
      throw error;
    });
  const memberships = valid(page.data.map(toMembership));
  const after = page.listMetadata.after;
  const next: Position = after
    ? { phase, cursor: after, organizationId }
    : await nextOrganization(ctx, organizationId);
  return { rows: { memberships }, next };
}

/** Rows that could be read and whose dates can be ordered (the others are logged and skipped). */
function valid<T extends { workosId: string; updatedAt: string }>(rows: (T | null)[]): T[] {
  return rows.filter((row): row is T => {
    if (row !== null && !isDate(row.updatedAt)) {
      console.error(`Backfill skipped ${row.workosId}: its updated_at ${JSON.stringify(row.updatedAt)} is not a date`);
      return false;
    }
    return row !== null;
  });
}

async function nextOrganization(ctx: ActionCtx, after: string | undefined): Promise<Position> {
  const organizationId = await ctx.runQuery(internal.workos.backfill.organizationAfter, { after });
  return organizationId === null ? { phase: "pruneUsers" } : { phase: "memberships", organizationId };
}

/** The synced organization after `after` (by WorkOS id), whose memberships come next. */
export const organizationAfter = internalQuery({
  args: { after: v.optional(v.string()) },
  handler: async (ctx, { after }): Promise<string | null> => {
    const next = await ctx.db
      .query("organizations")
      .withIndex("by_workos_id", (q) => (after === undefined ? q : q.gt("workosId", after)))
      .first();
    return next?.workosId ?? null;
  },
});

async function backfillState(ctx: { db: QueryCtx["db"] }) {
  return await ctx.db
    .query("syncState")
    .withIndex("by_name", (q) => q.eq("name", "backfill"))
    .unique();
}

/** Where to go on from: the saved position, or the start of a new pass. */
export const start = internalMutation({
  args: { restart: v.boolean() },
  handler: async (ctx, { restart }): Promise<Position> => {
    const state = await backfillState(ctx);
    const fresh = {
      phase: "users",
      cursor: undefined,
      organizationId: undefined,
      startedAt: Date.now(),
      counts: noCounts,
    } as const;
    if (state === null) await ctx.db.insert("syncState", { name: "backfill", ...fresh });
    else if (restart || state.phase === "done") await ctx.db.patch(state._id, fresh);
    else return { phase: state.phase as Position["phase"], cursor: state.cursor, organizationId: state.organizationId };
    return { phase: "users" };
  },
});

/** The saved state, if its position is still `from` (else another run is further along). */
async function stateAt(ctx: { db: QueryCtx["db"] }, from: Position) {
  const state = await backfillState(ctx);
  const same =
    state !== null &&
    state.phase === from.phase &&
    state.cursor === from.cursor &&
    state.organizationId === from.organizationId;
  return same ? state : null;
}

/**
 * Writes one page and moves the saved position from `from` to `to`, in one transaction.
 * Returns the counts and the next position, or null when the saved position is no longer
 * `from` (two runs at once: the one further along goes on).
 */
export const savePage = internalMutation({
  args: { from: positionFields, to: positionFields, ...rowsFields },
  handler: async (ctx, { from, to, ...rows }): Promise<{ counts: Counts; next: Position } | null> => {
    const state = await stateAt(ctx, from);
    if (state === null) return null;
    await upsertRows(ctx, rows, state.startedAt);
    const before = state.counts ?? noCounts;
    const counts = {
      ...before,
      users: before.users + (rows.users?.length ?? 0),
      organizations: before.organizations + (rows.organizations?.length ?? 0),
      memberships: before.memberships + (rows.memberships?.length ?? 0),
    };
    // Absent fields of `to` are cleared (patching a field to undefined removes it).
    await ctx.db.patch(state._id, { phase: to.phase, cursor: to.cursor, organizationId: to.organizationId, counts });
    return { counts, next: to };
  },
});

/** WorkOS and Convex clocks differ: rows changed this long before the pass began are kept too. */
const CLOCK_MARGIN_MS = 60 * 60 * 1000;

const pruneOrder = [
  ["pruneUsers", "users"],
  ["pruneOrganizations", "organizations"],
  ["pruneMemberships", "memberships"],
] as const;

/**
 * After a full pass: deletes (and remembers, like a delete event) the rows the pass did not
 * see in WorkOS and that did not change since it began, one page of a table per transaction.
 * A pass that saw no users at all prunes nothing: that is a wrong API key, not an empty
 * WorkOS environment.
 */
export const prunePage = internalMutation({
  args: { from: positionFields },
  handler: async (ctx, { from }): Promise<{ counts: Counts; next: Position } | null> => {
    const state = await stateAt(ctx, from);
    if (state === null) return null;
    const counts = { ...(state.counts ?? noCounts) };
    const step = pruneOrder.findIndex(([phase]) => phase === from.phase);
    const table = pruneOrder[step][1];
    const pass = state.startedAt;
    let next: Position = { phase: pruneOrder[step + 1]?.[0] ?? "done" };
    if (pass !== undefined && counts.users > 0) {
      const page = await ctx.db.query(table).paginate({ cursor: from.cursor ?? null, numItems: 200 });
      for (const row of page.page) {
        if (row.backfillPass === pass || lastChangedAt(row) >= pass - CLOCK_MARGIN_MS) continue;
        if ((await remove(ctx, table, row.workosId)) === "deleted") counts.pruned += 1;
      }
      if (!page.isDone) next = { phase: from.phase, cursor: page.continueCursor };
    }
    await ctx.db.patch(state._id, { phase: next.phase, cursor: next.cursor, organizationId: undefined, counts });
    return { counts, next };
  },
});

/** How far the backfill is (`npx convex run workos/backfill:progress`). */
export const progress = internalQuery({
  args: {},
  handler: async (ctx): Promise<Progress> => {
    const state = await backfillState(ctx);
    return { done: state?.phase === "done", ...(state?.counts ?? noCounts) };
  },
});
