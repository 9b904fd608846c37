"use client";

import { useMutation } from "convex/react";
import { useQuery } from "convex-helpers/react";
import { useAuth } from "@workos-inc/authkit-nextjs/components";
import { ConvexError } from "convex/values";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { api } from "../../../../convex/_generated/api";

/** The current organization's projects; creating and deleting need the projects:write permission. */
export function Projects() {
  const { organizationId } = useAuth();
  if (!organizationId) return <p className="text-sm text-muted-foreground">Choose an organization to see its projects.</p>;
  return <ProjectList />;
}

function ProjectList() {
  // A refusal is a result here, not a thrown error: right after an organization is created or joined,
  // the membership may not be synced yet, and the query answers again (and succeeds) once it is.
  const { data, error: loadError } = useQuery(api.projects.list);
  const create = useMutation(api.projects.create);
  const remove = useMutation(api.projects.remove);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (loadError) {
    const message = loadError instanceof ConvexError ? (loadError.data as { message?: string }).message : undefined;
    return <p role="alert" className="text-sm text-destructive">{message ?? "Could not load the projects."}</p>;
  }
  if (data === undefined) return <p className="text-sm text-muted-foreground">Loading…</p>;

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ConvexError ? (e.data as { message?: string }).message ?? "Refused." : "Something went wrong.");
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <form
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await create({ name });
            setName("");
          });
        }}
      >
        <Input aria-label="Project name" value={name} onChange={(e) => setName(e.target.value)} placeholder="New project" />
        <Button type="submit" disabled={!data.canWrite || name.trim() === ""} title={data.canWrite ? undefined : 'Needs the "projects:write" permission'}>
          Create
        </Button>
      </form>
      {error ? <p role="alert" className="text-sm text-destructive">{error}</p> : null}
      {data.projects.length === 0 ? (
        <p className="text-sm text-muted-foreground">No projects yet.</p>
      ) : (
        <ul className="flex flex-col gap-1" data-testid="projects">
          {data.projects.map((p) => (
            <li key={p._id} className="flex items-center justify-between gap-2 text-sm">
              <span>{p.name}</span>
              {data.canWrite ? (
                <Button variant="ghost" size="sm" onClick={() => void run(() => remove({ id: p._id }))}>
                  Delete
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
