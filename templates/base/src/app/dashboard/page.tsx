import { withAuth } from "@workos-inc/authkit-nextjs";
import Link from "next/link";
import { connection } from "next/server";
import { Suspense } from "react";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SignOutButton } from "@/components/sign-out-button";
import { CurrentUser } from "./current-user";
import { OrganizationName } from "./organization-name";

// A protected page: the proxy already sent signed-out visitors to sign in;
// `ensureSignedIn` makes that explicit here too.
export default async function DashboardPage() {
  // Rendered at request time only: AuthKit checks the token's expiry against the clock, which
  // Next.js does not allow while prerendering (it would log an error on every signed-in visit).
  await connection();
  const { user, organizationId } = await withAuth({ ensureSignedIn: true });
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ") || user.email;

  return (
    <main className="mx-auto flex w-full max-w-2xl flex-1 flex-col gap-6 p-6">
      <header className="flex items-center justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
          <p className="text-sm text-muted-foreground">
            Signed in as {name} ({user.email})
          </p>
          <Suspense fallback={null}>
            <OrganizationName organizationId={organizationId} />
          </Suspense>
        </div>
        <SignOutButton />
      </header>
      <Card>
        <CardHeader>
          <CardTitle>From Convex, live</CardTitle>
          <CardDescription>
            The <code>users.me</code> query, re-rendered whenever its data changes.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CurrentUser />
        </CardContent>
      </Card>
      <Link href="/dashboard/server" className={buttonVariants({ variant: "link" })}>
        The same query, preloaded on the server →
      </Link>
    </main>
  );
}
