import { authkitProxy } from "@workos-inc/authkit-nextjs";

// Runs before every matched request: refreshes the WorkOS session cookie when needed and
// sends signed-out visitors of protected pages to AuthKit's sign-in.
// Every page not listed in `unauthenticatedPaths` requires a signed-in user.
export default authkitProxy({
  middlewareAuth: {
    enabled: true,
    unauthenticatedPaths: ["/", "/sign-in", "/sign-up", "/callback", "/callback/:path*"],
  },
});

export const config = {
  // Everything except Next.js internals and static files.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
