/**
 * Turns an error thrown by the WorkOS SDK into a sentence a user can act on.
 * The full error is still logged on the server for you.
 */
export function describeWorkOSError(error: unknown): string {
  const e = (error ?? {}) as { status?: unknown; code?: unknown; error?: unknown; name?: unknown };
  const code = typeof e.code === "string" ? e.code : typeof e.error === "string" ? e.error : "";
  const status = typeof e.status === "number" ? e.status : 0;

  switch (code) {
    case "invalid_grant":
    case "invalid_one_time_code":
    case "one_time_code_expired":
    case "one_time_code_previously_used":
      return "That code is wrong or has expired. Request a new one and try again.";
    case "email_verification_required":
      return "Please verify your email address first: check your inbox for a code from us.";
    case "organization_selection_required":
      return "Your account belongs to several organizations: use “Continue with AuthKit” to choose one.";
    case "mfa_enrollment":
    case "mfa_challenge":
      return "Your account needs two-factor authentication: use “Continue with AuthKit” to sign in.";
    case "sso_required":
      return "Your organization requires single sign-on: use “Sign in with SSO” or “Continue with AuthKit”.";
    case "user_not_found":
      return "No account was found for that email address.";
  }
  if (status === 429) return "Too many attempts. Wait a minute, then try again.";
  if (status === 401 || status === 403)
    return "Sign-in is not configured correctly (WorkOS rejected the API key). Check WORKOS_API_KEY.";
  if (status === 422 || status === 400) return "WorkOS could not accept that. Check what you entered and try again.";
  if (status >= 500) return "WorkOS is having trouble right now. Try again in a moment.";
  if (e.name === "TypeError" || e.name === "FetchError")
    return "Could not reach WorkOS. Check your internet connection and try again.";
  return "Something went wrong while signing you in. Please try again.";
}

/** Messages for the `?error=` values that the callbacks redirect back with. */
export const signInErrors: Record<string, string> = {
  callback_failed: "Signing in did not complete. Please try again.",
  oauth_state_mismatch: "That sign-in link was already used or has expired. Please start again.",
  oauth_failed: "The sign-in provider did not let you in. Please try again.",
  access_denied: "Sign-in was cancelled.",
  no_organization: "No organization uses single sign-on for that email domain.",
  session_expired: "Your session has expired. Please sign in again.",
  organization_selection_failed: "Choosing an organization did not complete. Please sign in again.",
};
