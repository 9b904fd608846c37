import { handleAuth } from "@workos-inc/authkit-nextjs";
import { NextResponse } from "next/server";

// Where AuthKit sends the user back after hosted sign-in (NEXT_PUBLIC_WORKOS_REDIRECT_URI).
// Exchanges the code for a session, stores it in a cookie, then goes to the dashboard.
export const GET = handleAuth({
  returnPathname: "/dashboard",
  onError: ({ request }) =>
    NextResponse.redirect(new URL("/sign-in?error=callback_failed", request.url)),
});
