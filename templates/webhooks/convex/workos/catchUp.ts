import { v } from "convex/values";
import { internal } from "../_generated/api";
import { internalAction, internalMutation, internalQuery } from "../_generated/server";
import { createWorkOS } from "./client";
import { SYNCED_EVENTS, toChange } from "./convert";
import { applyOnce, changeFields, eventFields } from "./sync";

/**
 * Catches up on webhooks that never arrived (endpoint down, deliveries given up) by reading
 * the WorkOS Events API from where the last run stopped. Runs every 10 minutes
 * (convex/crons.ts) and on demand:
 *
 *   npx convex run workos/catchUp:run
 *
 * Events the webhook already applied are recognised by their id and skipped. The first run
 * reads every event WorkOS still keeps (about 30 days), which changes nothing already synced.
 * Each page is applied in one transaction together with the new cursor, so a run that fails
 * half-way resumes after the last page it applied.
 */
export const run = internalAction({
  args: { pageSize: v.optional(v.number()), timeBudgetMs: v.optional(v.number()) },
  handler: async (ctx, { pageSize = 100, timeBudgetMs = 60_000 }): Promise<{ applied: number }> => {
    const workos = createWorkOS();
    const started = Date.now();
    let cursor = await ctx.runQuery(internal.workos.catchUp.cursor, {});
    let applied = 0;
    for (;;) {
      const page = await workos.events.listEvents({
        events: [...SYNCED_EVENTS],
        after: cursor ?? undefined,
        limit: pageSize,
        order: "asc",
      });
      if (page.data.length === 0) break;
      const events = [];
      for (const event of page.data) {
        const converted = toChange(event);
        if ("change" in converted) {
          events.push({ event: { id: event.id, createdAt: event.createdAt }, change: converted.change });
        } else {
          // Skipped for good (a retry would not help), like the webhook does.
          const why = "ignore" in converted ? converted.ignore : converted.malformed;
          console.error(`Skipped WorkOS event ${event.id} (${event.event}): ${why}`);
        }
      }
      const next = page.data[page.data.length - 1].id;
      const saved = await ctx.runMutation(internal.workos.catchUp.applyPage, { from: cursor, to: next, events });
      if (saved === null) {
        console.log("Another catch-up run moved the cursor; this one stops.");
        return { applied };
      }
      applied += saved;
      cursor = next;
      if (!page.listMetadata.after) break;
      if (Date.now() - started > timeBudgetMs) {
        // Well before the action time limit: go on in a new action.
        await ctx.scheduler.runAfter(0, internal.workos.catchUp.run, { pageSize, timeBudgetMs });
        break;
      }
    }
    if (applied > 0) console.log(`Catch-up applied ${applied} WorkOS events the webhook had missed`);
    return { applied };
  },
});

/** The id of the last event the catch-up applied, or null before its first run. */
export const cursor = internalQuery({
  args: {},
  handler: async (ctx): Promise<string | null> => {
    const state = await ctx.db
      .query("syncState")
      .withIndex("by_name", (q) => q.eq("name", "events"))
      .unique();
    return state?.cursor ?? null;
  },
});

/**
 * Applies one page of events and moves the cursor from `from` to `to`, in one transaction.
 * Returns how many events changed something, or null when the cursor is no longer `from`
 * (two runs at once: the other one goes on).
 */
export const applyPage = internalMutation({
  args: {
    from: v.union(v.string(), v.null()),
    to: v.string(),
    events: v.array(v.object({ event: eventFields, change: changeFields })),
  },
  handler: async (ctx, { from, to, events }): Promise<number | null> => {
    const state = await ctx.db
      .query("syncState")
      .withIndex("by_name", (q) => q.eq("name", "events"))
      .unique();
    if ((state?.cursor ?? null) !== from) return null;
    if (state === null) await ctx.db.insert("syncState", { name: "events", cursor: to });
    else await ctx.db.patch(state._id, { cursor: to });
    let applied = 0;
    for (const { event, change } of events) {
      const result = await applyOnce(ctx, event, change);
      if (result !== "duplicate" && result !== "unchanged") applied += 1;
    }
    return applied;
  },
});
