import { withAuth } from "@workos-inc/authkit-nextjs";
import Link from "next/link";
import { connection } from "next/server";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CreateOrganizationForm, InviteForm } from "./forms";
import { OrganizationSwitcher } from "./organization-switcher";
import { Projects } from "./projects";

// The signed-in user's organizations: switch between them, create one, invite people, and the
// organization's projects (convex/projects.ts), which only its members see.
export default async function OrganizationsPage() {
  await connection();
  await withAuth({ ensureSignedIn: true });

  return (
    <main className="mx-auto flex w-full max-w-2xl flex-1 flex-col gap-6 p-6">
      <header className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Organizations</h1>
        <Link href="/dashboard" className={buttonVariants({ variant: "link" })}>
          ← Dashboard
        </Link>
      </header>
      <OrganizationSwitcher />
      <Card>
        <CardHeader>
          <CardTitle>Projects</CardTitle>
          <CardDescription>Only members of the current organization see these.</CardDescription>
        </CardHeader>
        <CardContent>
          <Projects />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Invite someone</CardTitle>
        </CardHeader>
        <CardContent>
          <InviteForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>New organization</CardTitle>
          <CardDescription>You become its admin.</CardDescription>
        </CardHeader>
        <CardContent>
          <CreateOrganizationForm />
        </CardContent>
      </Card>
    </main>
  );
}
