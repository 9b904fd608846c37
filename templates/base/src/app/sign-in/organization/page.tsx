import { redirect } from "next/navigation";
import { connection } from "next/server";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { organizationsToChoose } from "@/lib/organization-selection";
import { SubmitButton } from "../submit-button";
import { chooseOrganization } from "./actions";

// Shown when a sign-in needs the user to pick one of their organizations.
export default async function ChooseOrganizationPage() {
  await connection();
  const organizations = await organizationsToChoose();
  if (!organizations) redirect("/sign-in?error=organization_selection_failed");

  return (
    <main className="flex flex-1 items-center justify-center p-6">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle className="text-xl">Choose an organization</CardTitle>
          <CardDescription>Your account belongs to several organizations. Which one do you want to use?</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-2">
          {organizations.map((organization) => (
            <form key={organization.id} action={chooseOrganization}>
              <input type="hidden" name="organizationId" value={organization.id} />
              <SubmitButton variant="outline">{organization.name}</SubmitButton>
            </form>
          ))}
        </CardContent>
      </Card>
    </main>
  );
}
