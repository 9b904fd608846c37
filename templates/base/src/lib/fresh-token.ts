// Server-side Convex calls (preloadQuery, fetchQuery) with the signed-in user's access token.
// The proxy refreshes the session only when the token has seconds left (see proxy.ts), so a
// page may get a token that expires before Convex checks it, or that Convex's clock already
// sees as expired. Such a render is not failed: the session is refreshed once (through
// /auth/refresh, where cookies may be written) and the page renders again.
import { withAuth } from "@workos-inc/authkit-nextjs";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";

// A token with less left than this is refreshed before it is used.
const MIN_SECONDS_LEFT = 30;
/** Set by /auth/refresh for a few seconds: the page already came back once. */
export const REFRESHED_COOKIE = "auth-refreshed";

function secondsLeft(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp - Date.now() / 1000 : 0;
  } catch {
    return 0;
  }
}

function isTokenRejected(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Unauthenticated|OIDC token|InvalidAuthHeader|token.*expired/i.test(message);
}

/**
 * Runs `call` with a token that Convex accepts. `here` is the page's own path, to come back to
 * after a refresh.
 */
export async function withFreshToken<T>(here: string, call: (token: string) => Promise<T>): Promise<T> {
  const { accessToken } = await withAuth({ ensureSignedIn: true });
  const refreshedJustNow = (await cookies()).has(REFRESHED_COOKIE);
  const refresh = `/auth/refresh?returnTo=${encodeURIComponent(here)}`;
  if (!refreshedJustNow && secondsLeft(accessToken) < MIN_SECONDS_LEFT) redirect(refresh);
  try {
    return await call(accessToken);
  } catch (error) {
    if (!refreshedJustNow && isTokenRejected(error)) redirect(refresh);
    throw error;
  }
}
