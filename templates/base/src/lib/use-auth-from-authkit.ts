"use client";

import { useAccessToken, useAuth } from "@workos-inc/authkit-nextjs/components";
import { useCallback } from "react";

/**
 * Adapts AuthKit's session to the shape `ConvexProviderWithAuth` expects.
 *
 * - Loading only until the first access token exists. AuthKit refreshes the token about
 *   every five minutes; reporting "loading" then would make Convex drop to an
 *   unauthenticated state and unmount the app each time.
 * - When Convex asks for a forced refresh (the server rejected the token), a new token is
 *   really fetched; otherwise `getAccessToken` returns the current one, refreshed first if
 *   it is about to expire.
 * - Signed out, or the session could not be refreshed (e.g. it expired while the laptop
 *   slept): the token is null, so Convex treats the user as signed out instead of throwing.
 *   AuthKitProvider then reloads the page and the proxy sends the user to sign in again.
 */
export function useAuthFromAuthKit() {
  const { user, loading: userLoading } = useAuth();
  const { accessToken, loading: tokenLoading, error, getAccessToken, refresh } = useAccessToken();
  const userId = user?.id;

  const isLoading = (userLoading || tokenLoading) && !accessToken && !error;
  const isAuthenticated = Boolean(userId && accessToken);

  const fetchAccessToken = useCallback(
    async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
      if (!userId) return null;
      try {
        const token = forceRefreshToken ? await refresh() : await getAccessToken();
        return token ?? null;
      } catch {
        return null;
      }
    },
    // Stable while the same user is signed in: a new function would make Convex
    // re-authenticate and re-run every query.
    [userId, refresh, getAccessToken],
  );

  return { isLoading, isAuthenticated, fetchAccessToken };
}
