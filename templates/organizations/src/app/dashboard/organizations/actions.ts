"use server";

import { getWorkOS, withAuth } from "@workos-inc/authkit-nextjs";

export type FormState = { error?: string; done?: string; organizationId?: string };

/**
 * Creates an organization in WorkOS and makes the signed-in user its admin. The webhook syncs
 * both into Convex; the switcher then switches to it.
 */
export async function createOrganization(_state: FormState, formData: FormData): Promise<FormState> {
  const { user } = await withAuth({ ensureSignedIn: true });
  const name = String(formData.get("name") ?? "").trim();
  if (name.length === 0 || name.length > 100) return { error: "Give the organization a name (1 to 100 characters)." };
  try {
    const workos = getWorkOS();
    const organization = await workos.organizations.createOrganization({ name });
    await workos.userManagement.createOrganizationMembership({
      organizationId: organization.id,
      userId: user.id,
      roleSlug: "admin",
    });
    return { done: `Created ${organization.name}.`, organizationId: organization.id };
  } catch (error) {
    console.error("Could not create the organization", error);
    return { error: "WorkOS could not create the organization. Try again." };
  }
}

/** Invites someone by email into the session's organization (needs the members:invite permission). */
export async function inviteMember(_state: FormState, formData: FormData): Promise<FormState> {
  const { user, organizationId, permissions } = await withAuth({ ensureSignedIn: true });
  if (!organizationId) return { error: "Switch to an organization first." };
  if (!permissions?.includes("members:invite")) return { error: 'Inviting needs the "members:invite" permission.' };
  const email = String(formData.get("email") ?? "").trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { error: "Enter an email address." };
  const roleSlug = String(formData.get("role") ?? "member");
  try {
    await getWorkOS().userManagement.sendInvitation({ email, organizationId, inviterUserId: user.id, roleSlug });
    return { done: `Invited ${email}. They join the organization when they accept.` };
  } catch (error) {
    console.error("Could not send the invitation", error);
    return { error: "WorkOS could not send the invitation (already a member, or already invited?)." };
  }
}
