"use server";

import { getWorkOS } from "@workos-inc/authkit-nextjs";
import { startOAuthFlow } from "@/lib/oauth-flow";
import { describeWorkOSError } from "@/lib/workos-errors";
import { ssoOrganizationFor } from "./sso-organization";

export type SsoState = { email: string; error?: string };

// One answer for "no organization", "not verified" and "more than one": the sign-in page must
// not tell a visitor which companies use this app.
const SSO_UNAVAILABLE =
  "Single sign-on isn't available for this email address. Sign in with an email code, or ask your IT administrator.";

/**
 * "Sign in with SSO": finds the one organization that has verified the email's domain in WorkOS
 * and starts single sign-on with its identity provider. Comes back through /callback/oauth like
 * Google.
 */
export async function signInWithSso(_previous: SsoState, formData: FormData): Promise<SsoState> {
  const email = String(formData.get("email") ?? "").trim().toLowerCase();
  const domain = email.split("@")[1];
  if (!domain) return { email, error: "Enter your work email address." };

  let organizationId: string | undefined;
  try {
    // Every organization listing the domain, verified or not: ssoOrganizationFor decides.
    const organizations = await getWorkOS().organizations.listOrganizations({
      domains: [domain],
      limit: 100,
    });
    organizationId = ssoOrganizationFor(organizations.data, domain)?.id;
  } catch (error) {
    console.error("Looking up the SSO organization failed", error);
    return { email, error: describeWorkOSError(error) };
  }
  if (!organizationId) return { email, error: SSO_UNAVAILABLE };
  // Redirects to the organization's identity provider (throws Next's redirect signal).
  return await startOAuthFlow({ organizationId });
}
