import { NextResponse, type NextRequest } from "next/server";

// An invitation's link (WorkOS's `accept_invitation_url`, `<app>/invite?invitation_token=…` when the
// environment's invitation URL points at this app) lands here. The token goes on to the sign-in page,
// whose magic-code form hands it to WorkOS (`invitationToken`): signing up (or in) with the invited
// email then makes the person a member of the organization, with the invitation's role, and the
// session starts in it. The webhook syncs the new membership into Convex.
export function GET(request: NextRequest) {
  const token = request.nextUrl.searchParams.get("invitation_token");
  const to = new URL("/sign-in", request.url);
  // Only a token's characters go on (no open redirect, no markup): anything else is a plain sign-in.
  if (token && /^[\w-]{8,256}$/.test(token)) to.searchParams.set("invitation_token", token);
  const response = NextResponse.redirect(to);
  response.headers.set("Cache-Control", "no-store");
  return response;
}
