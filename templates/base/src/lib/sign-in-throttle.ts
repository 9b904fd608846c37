// The magic-code form's throttle, Next.js side: which client is asking, and what to tell a
// person who asked too often. The limits themselves live in Convex (convex/signInThrottle.ts).
// Plain functions, so the app's tests can check them (sign-in-throttle.test.ts).

/**
 * The client's IP as the app's host reports it. Vercel (and most proxies) put the client first in
 * `x-forwarded-for` and overwrite what the client sent; behind a proxy that only appends, the
 * first entry is the client's own claim: then read `x-real-ip` from that proxy instead.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "unknown";
}

/** What the form says when the throttle refused: when to try again, in seconds. */
export function tryAgainMessage(retryAfterSeconds: number): string {
  return `Too many sign-in codes were requested. Try again in ${retryAfterSeconds} s.`;
}
