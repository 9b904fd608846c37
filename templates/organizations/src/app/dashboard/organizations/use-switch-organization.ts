"use client";

import { useAccessToken, useAuth } from "@workos-inc/authkit-nextjs/components";
import { useConvex } from "convex/react";
import { useCallback } from "react";

/**
 * Switches the session to another organization (AuthKit refreshes it with the organization's id:
 * the new access token carries its org_id, role and permissions), then hands Convex the new token,
 * so every query re-runs as the new organization without reloading the page.
 */
export function useSwitchOrganization() {
  const { switchToOrganization } = useAuth();
  const { refresh } = useAccessToken();
  const convex = useConvex();
  return useCallback(
    async (organizationId: string) => {
      await switchToOrganization(organizationId);
      const token = await refresh();
      if (token) convex.setAuth(async ({ forceRefreshToken }) => (forceRefreshToken ? ((await refresh()) ?? null) : token));
    },
    [switchToOrganization, refresh, convex],
  );
}
