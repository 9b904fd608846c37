"use client";

import { useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { UserDetails } from "./user-details";

export function CurrentUser() {
  const me = useQuery(api.users.me);
  // undefined: the first result has not arrived yet.
  if (me === undefined) {
    return <p role="status" className="text-sm text-muted-foreground">
        Loading…
      </p>;
  }
  return <UserDetails me={me} />;
}
