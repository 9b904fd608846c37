// Organization access for Convex functions: who may read and write an organization's data.
//
// The WorkOS access token of a session that belongs to an organization carries its `org_id`,
// the member's `role` (and `roles`) and the `permissions` of those roles (declared in
// workos/roles.json, created in WorkOS by create-authkit-convex). Convex verifies the token and
// exposes these claims as fields of `ctx.auth.getUserIdentity()`.
//
// A token lives for minutes, so the claims alone would let a removed member in until it expires.
// Here the synced membership (table `memberships`, kept by the WorkOS webhook) decides too:
//   - only an "active" membership grants anything ("pending" invitations and "inactive"
//     members get nothing, and a removed member has no row: refused on the very next call);
//   - the token's permissions count only while the membership still has the role they came
//     from (a member demoted by an admin loses them at once, before their token is refreshed).
//
// Stricter than `orgQuery` in ./auth.ts (which also works without synced memberships): use these
// for organization-scoped data.
import { ConvexError } from "convex/values";
import type { UserIdentity } from "convex/server";
import { customMutation, customQuery } from "convex-helpers/server/customFunctions";
import type { Doc } from "../_generated/dataModel";
import { mutation, query, type QueryCtx } from "../_generated/server";
import { requireIdentity } from "./auth";

/** A permission slug as declared in workos/roles.json, e.g. "projects:write". */
export type Permission = `${string}:${string}`;

/** The organization claims of a verified token (absent ones are null or empty). */
export interface OrganizationClaims {
  organizationId: string | null;
  role: string | null;
  roles: string[];
  permissions: string[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];

export function organizationClaims(identity: UserIdentity): OrganizationClaims {
  const role = typeof identity.role === "string" ? identity.role : null;
  const roles = strings(identity.roles);
  return {
    organizationId: typeof identity.org_id === "string" ? identity.org_id : null,
    role,
    roles: roles.length > 0 ? roles : role !== null ? [role] : [],
    permissions: strings(identity.permissions),
  };
}

/** The caller's membership of an organization, when it is active (else null). */
export async function activeMembership(
  ctx: { db: QueryCtx["db"] },
  workosUserId: string,
  workosOrganizationId: string,
): Promise<Doc<"memberships"> | null> {
  const membership = await ctx.db
    .query("memberships")
    .withIndex("by_user_and_organization", (q) =>
      q.eq("workosUserId", workosUserId).eq("workosOrganizationId", workosOrganizationId),
    )
    .first();
  return membership?.status === "active" ? membership : null;
}

/** What an organization function knows about its caller. */
export interface OrganizationAccess {
  identity: UserIdentity;
  userId: string;
  organizationId: string;
  /** The member's roles now (from the synced membership). */
  roles: string[];
  /** The token's permissions, while the membership still holds the token's roles. */
  permissions: string[];
  membership: Doc<"memberships">;
}

/**
 * The caller's access to the session's organization; throws UNAUTHENTICATED (signed out),
 * NO_ORGANIZATION (the session has none) or FORBIDDEN (no active membership).
 */
export async function requireOrganizationAccess(ctx: QueryCtx): Promise<OrganizationAccess> {
  const identity = await requireIdentity(ctx);
  const claims = organizationClaims(identity);
  if (claims.organizationId === null) {
    throw new ConvexError({ code: "NO_ORGANIZATION", message: "Select an organization to do this." });
  }
  const membership = await activeMembership(ctx, identity.subject, claims.organizationId);
  if (membership === null) {
    throw new ConvexError({ code: "FORBIDDEN", message: "You are not an active member of this organization." });
  }
  const roles = membership.roles && membership.roles.length > 0 ? membership.roles : [membership.role];
  const rolesHeld = claims.roles.every((role) => roles.includes(role));
  return {
    identity,
    userId: identity.subject,
    organizationId: claims.organizationId,
    roles,
    permissions: rolesHeld ? claims.permissions : [],
    membership,
  };
}

export function hasPermission(access: Pick<OrganizationAccess, "permissions">, permission: Permission): boolean {
  return access.permissions.includes(permission);
}

/** Throws FORBIDDEN unless the caller has `permission` in the session's organization. */
export function requirePermission(access: Pick<OrganizationAccess, "permissions">, permission: Permission): void {
  if (!hasPermission(access, permission)) {
    throw new ConvexError({ code: "FORBIDDEN", message: `This needs the "${permission}" permission.` });
  }
}

async function input(ctx: QueryCtx, permission: Permission | undefined) {
  const access = await requireOrganizationAccess(ctx);
  if (permission !== undefined) requirePermission(access, permission);
  return { ctx: { ...access, can: (p: Permission) => hasPermission(access, p) }, args: {} };
}

/**
 * `orgQuery` / `orgMutation`: the caller must be an active member of the session's organization
 * and, when `permission` is given, have it. The handler gets `ctx.organizationId`, `ctx.userId`,
 * `ctx.roles`, `ctx.permissions`, `ctx.membership` and `ctx.can(permission)`.
 *
 *   export const create = orgMutation({ permission: "projects:write", args: {…}, handler: … });
 */
export const orgQuery = customQuery(query, {
  args: {},
  input: (ctx, _args, { permission }: { permission?: Permission }) => input(ctx, permission),
});

export const orgMutation = customMutation(mutation, {
  args: {},
  input: (ctx, _args, { permission }: { permission?: Permission }) => input(ctx, permission),
});
