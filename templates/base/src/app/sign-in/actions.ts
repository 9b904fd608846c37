"use server";

import { getSignInUrl, getWorkOS, saveSession } from "@workos-inc/authkit-nextjs";
import { fetchMutation } from "convex/nextjs";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { startOAuthFlow } from "@/lib/oauth-flow";
import { sessionToSave } from "@/lib/session-to-save";
import { clientIp, tryAgainMessage } from "@/lib/sign-in-throttle";
import { ORGANIZATION_SELECTION_PATH, rememberOrganizationSelection } from "@/lib/organization-selection";
import { describeWorkOSError } from "@/lib/workos-errors";
import { api } from "../../../convex/_generated/api";

/** "Continue with AuthKit": WorkOS's hosted sign-in page, back through /callback. */
export async function signInWithAuthKit() {
  redirect(await getSignInUrl({ returnTo: "/dashboard" }));
}

/** "Continue with Google": our own authorization URL; back through /callback/oauth. */
export async function signInWithGoogle() {
  await startOAuthFlow({ provider: "GoogleOAuth" });
}

export type MagicCodeState = {
  step: "email" | "code";
  email: string;
  error?: string;
};

/**
 * Email magic code, in two steps on one form: first send a six-digit code to the email
 * address, then check the code and save the session.
 */
export async function magicCode(
  previous: MagicCodeState,
  formData: FormData,
): Promise<MagicCodeState> {
  // "Use another email": back to the first step, with nothing sent.
  if (formData.get("intent") === "change-email") return { step: "email", email: "" };
  const email = String(formData.get("email") ?? previous.email).trim();
  const code = String(formData.get("code") ?? "").trim();
  // From an invitation's link (/sign-in?invitation_token=…): WorkOS accepts the invitation when this
  // email signs up or in with it, and the session starts in the invitation's organization.
  const invitationToken = String(formData.get("invitation_token") ?? "") || undefined;
  if (!email.includes("@")) {
    return { step: "email", email, error: "Enter a valid email address." };
  }

  if (previous.step === "email" || formData.get("intent") === "resend") {
    // Anyone can post this form: before any mail goes out, the throttle must say yes (per
    // address and per client IP; see convex/signInThrottle.ts).
    let attempt;
    try {
      attempt = await fetchMutation(api.signInThrottle.takeMagicCodeAttempt, {
        email,
        ip: clientIp(await headers()),
      });
    } catch (error) {
      // Without the throttle no code is sent: better a retry than an open mail relay.
      console.error("The sign-in throttle could not be reached", error);
      return { step: previous.step, email, error: "Could not send a code right now. Try again in a moment." };
    }
    if (!attempt.ok) {
      return { step: previous.step, email, error: tryAgainMessage(attempt.retryAfterSeconds) };
    }
    try {
      await getWorkOS().userManagement.createMagicAuth({ email, invitationToken });
    } catch (error) {
      console.error("Sending the magic code failed", error);
      return { step: "email", email, error: describeWorkOSError(error) };
    }
    return { step: "code", email };
  }

  if (!/^\d{6}$/.test(code)) {
    return { step: "code", email, error: "Enter the six-digit code from the email." };
  }
  try {
    const auth = await getWorkOS().userManagement.authenticateWithMagicAuth({
      clientId: process.env.WORKOS_CLIENT_ID!,
      email,
      code,
      invitationToken,
    });
    // The cookie settings (e.g. Secure) follow the app's redirect URI.
    await saveSession(
      sessionToSave(auth),
      process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI ?? "http://localhost:3000/callback",
    );
  } catch (error) {
    // A member of several organizations picks one first.
    if (await rememberOrganizationSelection(error)) redirect(ORGANIZATION_SELECTION_PATH);
    console.error("Verifying the magic code failed", error);
    return { step: "code", email, error: describeWorkOSError(error) };
  }
  redirect("/dashboard");
}
