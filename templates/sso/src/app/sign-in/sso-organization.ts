import type { Organization } from "@workos-inc/node";

/**
 * The organization whose single sign-on serves `domain`: the one that has VERIFIED it. A domain
 * an organization merely claims (pending or failed verification) never routes anyone, or a new
 * organization claiming "bigcorp.com" would receive BigCorp's users. Two organizations with the
 * domain verified is ambiguous: none is chosen.
 */
export function ssoOrganizationFor(organizations: Organization[], domain: string): Organization | undefined {
  const wanted = domain.toLowerCase();
  const owners = organizations.filter((organization) =>
    organization.domains.some((d) => d.domain.toLowerCase() === wanted && d.state === "verified"),
  );
  return owners.length === 1 ? owners[0] : undefined;
}
