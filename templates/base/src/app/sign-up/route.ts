import { getSignUpUrl } from "@workos-inc/authkit-nextjs";
import { NextResponse } from "next/server";

// /sign-up sends the user to AuthKit's hosted sign-up page. The redirect carries this flow's
// PKCE cookie and a one-time state: no cache may keep it and hand it to someone else.
export async function GET() {
  const response = NextResponse.redirect(await getSignUpUrl());
  response.headers.set("Cache-Control", "no-store");
  return response;
}
