import { getWorkOS, saveSession } from "@workos-inc/authkit-nextjs";
import { NextResponse, type NextRequest } from "next/server";
import { takeOAuthFlow } from "@/lib/oauth-flow";
import { ORGANIZATION_SELECTION_PATH, rememberOrganizationSelection } from "@/lib/organization-selection";
import { sessionToSave } from "@/lib/session-to-save";

/** A redirect no cache may keep: it carries (or clears) this browser's session cookie. */
function redirectNoStore(to: URL) {
  const response = NextResponse.redirect(to);
  response.headers.set("Cache-Control", "no-store");
  return response;
}

// Where WorkOS returns after "Continue with Google" (and "Sign in with SSO").
// Checks the state, exchanges the code with the PKCE verifier, and stores the session in
// the same cookie AuthKit uses, so the rest of the app cannot tell the difference.
export async function GET(request: NextRequest) {
  const url = request.nextUrl;
  const fail = (error: string) =>
    redirectNoStore(new URL(`/sign-in?error=${encodeURIComponent(error)}`, url));

  if (url.searchParams.get("error")) {
    return fail(url.searchParams.get("error") === "access_denied" ? "access_denied" : "oauth_failed");
  }
  const code = url.searchParams.get("code");
  const codeVerifier = await takeOAuthFlow(url.searchParams.get("state"));
  if (!code || !codeVerifier) return fail("oauth_state_mismatch");

  try {
    const auth = await getWorkOS().userManagement.authenticateWithCode({
      clientId: process.env.WORKOS_CLIENT_ID!,
      code,
      codeVerifier,
    });
    // Only the fields AuthKit's own callback keeps (no Google tokens in the cookie).
    await saveSession(sessionToSave(auth), request);
  } catch (error) {
    // A member of several organizations picks one first.
    if (await rememberOrganizationSelection(error)) {
      return redirectNoStore(new URL(ORGANIZATION_SELECTION_PATH, url));
    }
    console.error("OAuth sign-in failed", error);
    return fail("oauth_failed");
  }
  return redirectNoStore(new URL("/dashboard", url));
}
