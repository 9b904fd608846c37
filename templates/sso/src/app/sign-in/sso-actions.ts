"use server";

import { getWorkOS } from "@workos-inc/authkit-nextjs";
import { startOAuthFlow } from "@/lib/oauth-flow";
import { describeWorkOSError } from "@/lib/workos-errors";

export type SsoState = { email: string; error?: string };

/**
 * "Sign in with SSO": finds the organization that owns the email's domain (the domains
 * set on the organization in WorkOS) and starts single sign-on with its identity provider.
 * Comes back through /callback/oauth like Google.
 */
export async function signInWithSso(_previous: SsoState, formData: FormData): Promise<SsoState> {
  const email = String(formData.get("email") ?? "").trim().toLowerCase();
  const domain = email.split("@")[1];
  if (!domain) return { email, error: "Enter your work email address." };

  let organizationId: string | undefined;
  try {
    const organizations = await getWorkOS().organizations.listOrganizations({
      domains: [domain],
      limit: 1,
    });
    organizationId = organizations.data[0]?.id;
  } catch (error) {
    console.error("Looking up the SSO organization failed", error);
    return { email, error: describeWorkOSError(error) };
  }
  if (!organizationId) {
    return { email, error: `No organization uses single sign-on for ${domain}.` };
  }
  // Redirects to the organization's identity provider (throws Next's redirect signal).
  return await startOAuthFlow({ organizationId });
}
