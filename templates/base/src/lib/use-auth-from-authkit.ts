"use client";

import { useAccessToken, useAuth } from "@workos-inc/authkit-nextjs/components";
import { useCallback, useEffect, useRef, useState } from "react";
import { tokenForConvex } from "./token-for-convex";

// After a failed token fetch, try again after 1 s, 2 s, 4 s … up to 15 s.
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 15_000;

/**
 * Adapts AuthKit's session to the shape `ConvexProviderWithAuth` expects.
 *
 * - Authenticated as soon as AuthKit knows the user (the server saw the session), not once a
 *   token arrived: Convex then asks for the token itself, and learns "signed out" when none
 *   comes. Waiting for a token instead would leave an `expectAuth` client paused forever
 *   when the token never comes.
 * - When Convex asks for a forced refresh (the server rejected the token, or it is about to
 *   expire), a new token is really fetched; otherwise `getAccessToken` returns the current
 *   one (on a page load, the one the server already had: no refresh-token rotation).
 * - When a fetch fails (network blip, a 5xx, another tab spent the single-use refresh token),
 *   Convex drops to signed out and never asks again by itself. So the token is fetched again
 *   with backoff, and once one arrives `fetchAccessToken` changes: Convex re-authenticates
 *   without a reload. Signed out for good (the session ended), AuthKit sends the user to
 *   sign in on the next navigation.
 */
export function useAuthFromAuthKit() {
  const { user, loading: userLoading } = useAuth();
  const { getAccessToken, refresh } = useAccessToken();
  const userId = user?.id;
  // Bumped when a token is back after a failure: a new fetchAccessToken makes Convex ask again.
  const [recovered, setRecovered] = useState(0);
  const [failures, setFailures] = useState(0);
  const failing = useRef(false);

  const fetchAccessToken = useCallback(
    async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
      if (!userId) return null;
      const token = await tokenForConvex(forceRefreshToken, { getAccessToken, refresh });
      if (token) {
        failing.current = false;
        return token;
      }
      failing.current = true;
      setFailures((n) => n + 1);
      return null;
    },
    // Stable while the same user is signed in (and nothing failed): a new function makes
    // Convex re-authenticate and re-run every query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [userId, refresh, getAccessToken, recovered],
  );

  useEffect(() => {
    if (!failures || !userId) return;
    let cancelled = false;
    let delay = RETRY_FIRST_MS;
    let timer: ReturnType<typeof setTimeout>;
    const retry = async () => {
      // Convex got a token on its own meanwhile: nothing to recover.
      if (!failing.current) return;
      const token = await refresh().catch(() => undefined);
      if (cancelled) return;
      if (token) {
        failing.current = false;
        setRecovered((n) => n + 1);
      } else {
        delay = Math.min(delay * 2, RETRY_MAX_MS);
        timer = setTimeout(retry, delay);
      }
    };
    timer = setTimeout(retry, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [failures, userId, refresh]);

  return { isLoading: userLoading && !userId, isAuthenticated: Boolean(userId), fetchAccessToken };
}
