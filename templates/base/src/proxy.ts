import { authkitProxy } from "@workos-inc/authkit-nextjs";

// Runs before every matched request: refreshes the WorkOS session cookie when needed and
// sends signed-out visitors of protected pages to AuthKit's sign-in.
// Every page not listed in `unauthenticatedPaths` requires a signed-in user.
export default authkitProxy({
  // Refresh tokens are single-use. By default the proxy refreshes a token that has 30 s left
  // (60 s for long-lived ones), but Convex asks for a fresh token 10 s before expiry, through
  // a server action that passes this proxy first: the proxy would spend the refresh token and the
  // action would then present the old one, fail, and sign the user out of Convex. With a 5 s
  // buffer the proxy refreshes only tokens the client did not replace in time.
  refreshBufferSeconds: 5,
  middlewareAuth: {
    enabled: true,
    unauthenticatedPaths: ["/", "/sign-in", "/sign-up", "/callback", "/callback/:path*"],
  },
});

export const config = {
  // Everything except Next.js internals and static files.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
