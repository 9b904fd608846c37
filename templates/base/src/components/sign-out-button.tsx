import { signOut } from "@workos-inc/authkit-nextjs";
import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Ends the WorkOS session, clears the cookie and returns to the home page. */
export function SignOutButton() {
  return (
    <form
      action={async () => {
        "use server";
        await signOut({ returnTo: "/" });
      }}
    >
      <Button type="submit" variant="outline" size="sm">
        <LogOut aria-hidden /> Sign out
      </Button>
    </form>
  );
}
