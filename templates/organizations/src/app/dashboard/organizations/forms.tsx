"use client";

import { useAuth } from "@workos-inc/authkit-nextjs/components";
import { useQuery } from "convex-helpers/react";
import { useActionState, useEffect } from "react";
import { api } from "../../../../convex/_generated/api";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SubmitButton } from "../../sign-in/submit-button";
import { createOrganization, inviteMember, type FormState } from "./actions";
import { useSwitchOrganization } from "./use-switch-organization";

function Message({ state }: { state: FormState }) {
  if (state.error) return <p role="alert" className="text-sm text-destructive">{state.error}</p>;
  if (state.done) return <p className="text-sm text-muted-foreground">{state.done}</p>;
  return null;
}

export function CreateOrganizationForm() {
  const [state, action] = useActionState(createOrganization, {});
  const switchOrganization = useSwitchOrganization();
  // The new organization becomes the current one.
  useEffect(() => {
    if (state.organizationId) void switchOrganization(state.organizationId);
  }, [state.organizationId, switchOrganization]);
  return (
    <form action={action} className="flex flex-col gap-3">
      <Label htmlFor="organization-name">Name</Label>
      <Input id="organization-name" name="name" required maxLength={100} />
      <SubmitButton>Create organization</SubmitButton>
      <Message state={state} />
    </form>
  );
}

export function InviteForm() {
  // The current session's permissions (they change with the organization).
  const { permissions } = useAuth();
  const [state, action] = useActionState(inviteMember, {});
  if (!permissions?.includes("members:invite")) return <p className="text-sm text-muted-foreground">Inviting needs the members:invite permission in the current organization.</p>;
  return (
    <form action={action} className="flex flex-col gap-3">
      <Label htmlFor="invite-email">Email</Label>
      <Input id="invite-email" name="email" type="email" required />
      <Label htmlFor="invite-role">Role</Label>
      <select id="invite-role" name="role" defaultValue="member" className="h-9 rounded-md border bg-transparent px-3 text-sm">
        <option value="member">Member</option>
        <option value="viewer">Viewer</option>
        <option value="admin">Admin</option>
      </select>
      <SubmitButton>Send invitation</SubmitButton>
      <Message state={state} />
      <PendingInvitations />
    </form>
  );
}

/** The organization's pending invitations, as the WorkOS webhook delivers them (live). */
function PendingInvitations() {
  const { data } = useQuery(api.organizations.invitations.pending);
  if (!data || data.length === 0) return null;
  return (
    <ul className="flex flex-col gap-1 text-sm text-muted-foreground" aria-label="Pending invitations">
      {data.map((i) => (
        <li key={i.workosId}>
          {i.email} ({i.roleSlug ?? "member"}), invited until {i.expiresAt.slice(0, 10)}
        </li>
      ))}
    </ul>
  );
}
