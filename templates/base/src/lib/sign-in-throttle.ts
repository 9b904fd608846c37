// The magic-code form's throttle, Next.js side: which client is asking, and what to tell a
// person who asked too often. The limits themselves live in Convex (convex/signInThrottle.ts).
// Plain functions, so the app's tests can check them (sign-in-throttle.test.ts).

/**
 * The client's IP as the app's host reports it. Vercel (and most proxies) put the client first in
 * `x-forwarded-for` and overwrite what the client sent; `next start` on its own fills it in from the
 * connection only when the client did not send one. Where the first entry can be the client's own
 * claim (no proxy, or one that only appends), read your proxy's header instead: a forged IP only
 * dodges the per-IP limit, never the per-address one.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "unknown";
}

/** What the form says when the throttle refused: when to try again, in seconds. */
export function tryAgainMessage(retryAfterSeconds: number): string {
  return `Too many sign-in codes were requested. Try again in ${retryAfterSeconds} s.`;
}
