import { preloadQuery } from "convex/nextjs";
import Link from "next/link";
import { connection } from "next/server";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { withFreshToken } from "@/lib/fresh-token";
import { api } from "../../../../convex/_generated/api";
import { PreloadedUser } from "./preloaded-user";

// Server-rendered with the user's data already in the HTML, then live on the client.
// On the server there is no browser session for Convex to read: pass the access token
// from the WorkOS session explicitly (withFreshToken), or the query runs as signed out.
export default async function ServerDashboardPage() {
  // Rendered at request time only: AuthKit checks the token's expiry against the clock, which
  // Next.js does not allow while prerendering (it would log an error on every signed-in visit).
  await connection();
  // A token about to expire (or refused by Convex) is refreshed once instead of failing the page.
  const preloaded = await withFreshToken("/dashboard/server", (token) =>
    preloadQuery(api.users.me, {}, { token }),
  );

  return (
    <main className="mx-auto flex w-full max-w-2xl flex-1 flex-col gap-6 p-6">
      <Card>
        <CardHeader>
          <CardTitle>Preloaded on the server</CardTitle>
          <CardDescription>
            <code>preloadQuery(api.users.me, {"{}"}, {"{ token }"})</code>, then kept live by{" "}
            <code>usePreloadedQuery</code>.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <PreloadedUser preloaded={preloaded} />
        </CardContent>
      </Card>
      <Link href="/dashboard" className={buttonVariants({ variant: "link" })}>
        ← Back to the dashboard
      </Link>
    </main>
  );
}
