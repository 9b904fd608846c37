"use client";

import { useMutation } from "convex/react";
import { useEffect } from "react";
import { api } from "../../../convex/_generated/api";

/**
 * Rendered while the signed-in user has no synced row: asks Convex once to catch up on WorkOS
 * events now (convex/workos/onSignIn.ts). The live `users.me` query shows the row when it lands.
 */
export function SyncOnSignIn() {
  const syncMe = useMutation(api.workos.onSignIn.syncMe);
  useEffect(() => {
    syncMe().catch((error) => console.error("Could not ask Convex to sync your profile:", error));
  }, [syncMe]);
  return null;
}
