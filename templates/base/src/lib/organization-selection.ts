// Sign-in for someone in several organizations: WorkOS answers the code exchange (or the magic
// code) with `organization_selection_required`, a single-use pending token and the user's
// organizations. The user picks one on /sign-in/organization, and the sign-in completes with
// that token and organization. Token and list wait in a short-lived, httpOnly cookie that
// only that page receives.
import { getWorkOS } from "@workos-inc/authkit-nextjs";
import { cookies } from "next/headers";

const COOKIE = "organization-selection";
export const ORGANIZATION_SELECTION_PATH = "/sign-in/organization";

export type Organization = { id: string; name: string };
type Pending = { token: string; organizations: Organization[] };

/** The pending sign-in in a WorkOS `organization_selection_required` error, if it is one. */
function pendingSelection(error: unknown): Pending | null {
  const e = (error ?? {}) as { code?: unknown; pendingAuthenticationToken?: unknown; rawData?: unknown };
  if (e.code !== "organization_selection_required" || typeof e.pendingAuthenticationToken !== "string") return null;
  const raw = (e.rawData ?? {}) as { organizations?: unknown };
  const organizations = Array.isArray(raw.organizations)
    ? raw.organizations.filter(
        (o): o is Organization => typeof o?.id === "string" && typeof o?.name === "string",
      )
    : [];
  return { token: e.pendingAuthenticationToken, organizations };
}

/**
 * Call from a server action or route handler with an error from an authenticate call: when it
 * asks for an organization, remembers the pending sign-in and returns true (then send the
 * user to ORGANIZATION_SELECTION_PATH).
 */
export async function rememberOrganizationSelection(error: unknown): Promise<boolean> {
  const pending = pendingSelection(error);
  if (!pending || pending.organizations.length === 0) return false;
  const redirectUri = process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI ?? "http://localhost:3000/callback";
  (await cookies()).set(COOKIE, JSON.stringify(pending), {
    httpOnly: true,
    secure: redirectUri.startsWith("https:"),
    sameSite: "lax",
    path: ORGANIZATION_SELECTION_PATH,
    maxAge: 10 * 60,
  });
  return true;
}

/** The organizations to choose from, or null when no sign-in is waiting for a choice. */
export async function organizationsToChoose(): Promise<Organization[] | null> {
  const raw = (await cookies()).get(COOKIE)?.value;
  if (!raw) return null;
  try {
    return (JSON.parse(raw) as Pending).organizations;
  } catch {
    return null;
  }
}

/** Completes the waiting sign-in with one of its organizations (read once: the token is single-use). */
export async function completeOrganizationSelection(organizationId: string) {
  const jar = await cookies();
  const raw = jar.get(COOKIE)?.value;
  jar.delete({ name: COOKIE, path: ORGANIZATION_SELECTION_PATH });
  if (!raw) return null;
  const pending = JSON.parse(raw) as Pending;
  if (!pending.organizations.some((o) => o.id === organizationId)) return null;
  return getWorkOS().userManagement.authenticateWithOrganizationSelection({
    clientId: process.env.WORKOS_CLIENT_ID!,
    pendingAuthenticationToken: pending.token,
    organizationId,
  });
}
