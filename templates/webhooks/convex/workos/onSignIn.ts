import { RateLimiter, SECOND } from "@convex-dev/rate-limiter";
import { v } from "convex/values";
import { components, internal } from "../_generated/api";
import { mutation } from "../_generated/server";
import { getCurrentUser } from "../lib/auth";

// One catch-up on behalf of signed-in users every 20 seconds at most, for the whole app: a
// catch-up reads every new event, so more would only repeat the same reads.
const limits = new RateLimiter(components.rateLimiter, {
  catchUpOnSignIn: { kind: "fixed window", rate: 1, period: 20 * SECOND },
});

/**
 * Called by the dashboard when the signed-in user has no synced row yet (a sign-up the webhook
 * has not delivered, or a deployment WorkOS cannot reach at all, such as a local one). Starts a
 * catch-up from the WorkOS Events API (convex/workos/catchUp.ts) right away instead of at the
 * next cron run; the row then appears in every live query by itself.
 *
 * It only schedules the catch-up, which reads from WorkOS: nothing the caller sends is written.
 */
export const syncMe = mutation({
  args: {},
  returns: v.union(v.literal("synced"), v.literal("started"), v.literal("recently started")),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) throw new Error("UNAUTHENTICATED: sign in first");
    if ((await getCurrentUser(ctx)) !== null) return "synced";
    const { ok } = await limits.limit(ctx, "catchUpOnSignIn");
    if (!ok) return "recently started";
    await ctx.scheduler.runAfter(0, internal.workos.catchUp.run, {});
    return "started";
  },
});
