import { signOut } from "@workos-inc/authkit-nextjs";
import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Ends the WorkOS session, clears the cookie and returns to the home page. */
export function SignOutButton() {
  return (
    <form
      action={async () => {
        "use server";
        // WorkOS redirects to `returnTo` from its own domain, so it must be absolute: a bare
        // "/" would land on WorkOS's site. The app's origin is the redirect URI's.
        const origin = new URL(
          process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI ?? "http://localhost:3000/callback",
        ).origin;
        await signOut({ returnTo: `${origin}/` });
      }}
    >
      <Button type="submit" variant="outline" size="sm">
        <LogOut aria-hidden /> Sign out
      </Button>
    </form>
  );
}
