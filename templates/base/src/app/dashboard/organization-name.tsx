import { getWorkOS } from "@workos-inc/authkit-nextjs";

/**
 * The name of the organization the session belongs to (its id is in the access token). Asked
 * from WorkOS, which knows it whether or not the app syncs organizations to Convex; when
 * WorkOS cannot answer, the page shows without it rather than failing.
 */
export async function OrganizationName({ organizationId }: { organizationId?: string }) {
  if (!organizationId) return null;
  const name = await getWorkOS()
    .organizations.getOrganization(organizationId)
    .then((organization) => organization.name)
    .catch((error: unknown) => {
      console.error("Could not read the organization's name from WorkOS", error);
      return null;
    });
  if (!name) return null;
  return <p className="text-sm text-muted-foreground">Organization: {name}</p>;
}
