"use client";

import { useAuth } from "@workos-inc/authkit-nextjs/components";
import { useQuery } from "convex/react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { api } from "../../../../convex/_generated/api";
import { useSwitchOrganization } from "./use-switch-organization";

/** The user's organizations (synced memberships), the current one with their role, and a switch. */
export function OrganizationSwitcher() {
  const organizations = useQuery(api.organizations.mine.list);
  const { organizationId, role } = useAuth();
  const switchOrganization = useSwitchOrganization();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  if (organizations === undefined) return <p className="text-sm text-muted-foreground">Loading organizations…</p>;
  if (organizations.length === 0) {
    return <p className="text-sm text-muted-foreground">You are not a member of any organization yet: create one below.</p>;
  }
  const current = organizations.find((o) => o.organizationId === organizationId);
  return (
    <section aria-label="Organizations" className="flex flex-col gap-2">
      <p className="text-sm" data-testid="current-organization">
        {current ? (
          <>
            Current organization: <strong>{current.name}</strong> ({role ?? current.role})
          </>
        ) : (
          "No organization selected: choose one."
        )}
      </p>
      <ul className="flex flex-wrap gap-2">
        {organizations.map((o) => (
          <li key={o.organizationId}>
            <Button
              variant={o.organizationId === organizationId ? "default" : "outline"}
              disabled={pending || o.organizationId === organizationId}
              onClick={() =>
                startTransition(async () => {
                  setError(null);
                  try {
                    await switchOrganization(o.organizationId);
                  } catch {
                    setError(`Could not switch to ${o.name}.`);
                  }
                })
              }
            >
              {o.name}
            </Button>
          </li>
        ))}
      </ul>
      {error ? <p role="alert" className="text-sm text-destructive">{error}</p> : null}
    </section>
  );
}
