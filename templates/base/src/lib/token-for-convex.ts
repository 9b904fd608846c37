/** The two ways AuthKit's `useAccessToken` gives a token. */
export type AuthKitTokens = {
  /** The current access token (refreshed only when it is about to expire). */
  getAccessToken: () => Promise<string | null | undefined>;
  /** A new access token from WorkOS, whatever the current one's age. */
  refresh: () => Promise<string | null | undefined>;
};

/**
 * The token Convex asked for. `forceRefreshToken` means Convex's server refused the current token
 * (or it is about to expire): handing the same one back would be refused again, so a new one is
 * fetched from WorkOS. Otherwise the current one serves (no refresh-token rotation on every load).
 * Null when there is none or the fetch failed: Convex then treats the user as signed out.
 */
export async function tokenForConvex(forceRefreshToken: boolean, authkit: AuthKitTokens): Promise<string | null> {
  try {
    const token = forceRefreshToken ? await authkit.refresh() : await authkit.getAccessToken();
    return token || null;
  } catch {
    return null;
  }
}
