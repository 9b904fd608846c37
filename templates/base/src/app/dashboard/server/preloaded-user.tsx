"use client";

import { usePreloadedQuery, type Preloaded } from "convex/react";
import type { api } from "../../../../convex/_generated/api";
import { UserDetails } from "../user-details";

export function PreloadedUser({ preloaded }: { preloaded: Preloaded<typeof api.users.me> }) {
  const me = usePreloadedQuery(preloaded);
  return <UserDetails me={me} />;
}
