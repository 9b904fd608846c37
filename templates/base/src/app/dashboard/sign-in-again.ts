"use server";

import { signOut } from "@workos-inc/authkit-nextjs";

/**
 * "Sign in again" on the error page. A plain link to /sign-in would bounce straight back to
 * the failing dashboard, since the session is still there: end it first (at WorkOS too), then
 * land on the home page, whose "Sign in" starts afresh. `returnTo` is the Logout redirect the
 * WorkOS environment lists (the same one "Sign out" uses).
 */
export async function signInAgain() {
  const origin = new URL(
    process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI ?? "http://localhost:3000/callback",
  ).origin;
  await signOut({ returnTo: `${origin}/` });
}
