"use server";

import { saveSession } from "@workos-inc/authkit-nextjs";
import { redirect } from "next/navigation";
import { completeOrganizationSelection } from "@/lib/organization-selection";
import { sessionToSave } from "@/lib/session-to-save";

/** The user picked an organization: finish the sign-in with it. */
export async function chooseOrganization(formData: FormData) {
  let failed = false;
  try {
    const auth = await completeOrganizationSelection(String(formData.get("organizationId") ?? ""));
    if (auth) {
      await saveSession(sessionToSave(auth), process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI ?? "http://localhost:3000/callback");
    } else failed = true;
  } catch (error) {
    console.error("Completing the sign-in with the chosen organization failed", error);
    failed = true;
  }
  redirect(failed ? "/sign-in?error=organization_selection_failed" : "/dashboard");
}
