import { authkitProxy } from "@workos-inc/authkit-nextjs";
import type { NextFetchEvent, NextRequest } from "next/server";

// Runs before every request (see `config`): refreshes the WorkOS session cookie when needed,
// and sends signed-out visitors of the signed-in-only pages to AuthKit's sign-in.
//
// Refresh tokens are single-use. By default the proxy refreshes a token that has 30 s left
// (60 s for long-lived ones), but Convex asks for a fresh token 10 s before expiry, through
// a server action that passes this proxy first: the proxy would spend the refresh token and the
// action would then present the old one, fail, and sign the user out of Convex. With a 5 s
// buffer the proxy refreshes only tokens the client did not replace in time.
const refreshBufferSeconds = 5;

// The pages only signed-in users may see (add yours here; each also calls
// `withAuth({ ensureSignedIn: true })`, so it stays protected if this list falls behind).
const SIGNED_IN_ONLY = [/^\/dashboard(\/|$)/];

// `eagerAuth`: on a page load, the access token the server already has is handed to the page
// in a short-lived cookie that AuthKit's client reads (and deletes) at once, so Convex gets its
// token without a server round trip before the first query.
const eagerAuth = true;

const signedInOnly = authkitProxy({
  refreshBufferSeconds,
  eagerAuth,
  middlewareAuth: { enabled: true, unauthenticatedPaths: [] },
});
// Everywhere else the session is only kept fresh: public pages, and also paths that do not
// exist (`/robots.txt`, a missing image), which answer 404 rather than a redirect to sign in.
const everyone = authkitProxy({ refreshBufferSeconds, eagerAuth });

export default function proxy(request: NextRequest, event: NextFetchEvent) {
  const { pathname } = request.nextUrl;
  return (SIGNED_IN_ONLY.some((page) => page.test(pathname)) ? signedInOnly : everyone)(request, event);
}

export const config = {
  // Everything but Next.js's own build files: the root layout reads the session (`withAuth`),
  // which needs this proxy to have run, also when it renders the 404 page for a missing file.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
