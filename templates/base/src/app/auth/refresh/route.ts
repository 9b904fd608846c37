import { refreshSession } from "@workos-inc/authkit-nextjs";
import { NextResponse, type NextRequest } from "next/server";
import { REFRESHED_COOKIE } from "@/lib/fresh-token";

// Refreshes the WorkOS session (a new access token; the refresh token is rotated) and returns
// to the page that asked (lib/fresh-token.ts). Only paths of this app are accepted as returnTo.
export async function GET(request: NextRequest) {
  const asked = request.nextUrl.searchParams.get("returnTo") ?? "";
  const returnTo = asked.startsWith("/") && !asked.startsWith("//") && !asked.startsWith("/\\") ? asked : "/dashboard";
  try {
    const { user } = await refreshSession();
    if (!user) return NextResponse.redirect(new URL("/sign-in", request.url));
  } catch (error) {
    console.error("Refreshing the session failed", error);
    return NextResponse.redirect(new URL("/sign-in?error=session_expired", request.url));
  }
  const response = NextResponse.redirect(new URL(returnTo, request.url));
  // The page tries a refresh only once: if Convex still refuses, the page shows the error.
  response.cookies.set(REFRESHED_COOKIE, "1", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 10 });
  return response;
}
