import { HOUR, RateLimiter } from "@convex-dev/rate-limiter";
import { v } from "convex/values";
import { components } from "./_generated/api";
import { mutation } from "./_generated/server";

/**
 * How often anyone may ask for an email magic code. Token buckets: a burst up to `capacity`,
 * then `rate` per `period`. The counters live in this deployment (the rate limiter component),
 * so every server instance of the app shares them.
 */
export const signInLimits = new RateLimiter(components.rateLimiter, {
  // One address: three codes at once (a lost mail can be resent), then one every ten minutes.
  magicCodePerEmail: { kind: "token bucket", rate: 6, period: HOUR, capacity: 3 },
  // One client IP: room for an office behind one address, not for mailing many addresses.
  magicCodePerIp: { kind: "token bucket", rate: 30, period: HOUR, capacity: 10 },
});

/**
 * Takes one magic-code attempt for this address and client IP; the sign-in server action calls
 * it BEFORE asking WorkOS to send the mail, and sends nothing when `ok` is false.
 *
 * Public on purpose: it runs before anyone is signed in, so there is no identity to check, and
 * a secret shared by the Next server and the deployment would have to be kept in every
 * environment. What a direct caller can do with it is only spend allowances (delay someone's
 * next code by minutes, which the sign-in form itself allows); it never sends a mail, and the
 * mail is sent only by the server action, with the IP it saw itself, after this said yes.
 */
export const takeMagicCodeAttempt = mutation({
  args: { email: v.string(), ip: v.string() },
  returns: v.union(
    v.object({ ok: v.literal(true) }),
    v.object({ ok: v.literal(false), retryAfterSeconds: v.number() }),
  ),
  handler: async (ctx, { email, ip }) => {
    // The IP first: a caller cycling through addresses is stopped without touching theirs.
    const perIp = await signInLimits.limit(ctx, "magicCodePerIp", { key: ip });
    if (!perIp.ok) return { ok: false as const, retryAfterSeconds: seconds(perIp.retryAfter) };
    const perEmail = await signInLimits.limit(ctx, "magicCodePerEmail", {
      key: email.trim().toLowerCase(),
    });
    if (!perEmail.ok) return { ok: false as const, retryAfterSeconds: seconds(perEmail.retryAfter) };
    return { ok: true as const };
  },
});

/** The limiter answers in milliseconds; people read whole seconds (never "0 s"). */
function seconds(ms: number) {
  return Math.max(1, Math.ceil(ms / 1000));
}
