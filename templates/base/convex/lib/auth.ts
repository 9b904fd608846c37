// Auth helpers for Convex functions.
//
// Who is calling comes from the WorkOS access token that the browser (or the server, for
// preloadQuery) sends to Convex. Its claims are: iss, sub (the WorkOS user id), sid, jti,
// exp, iat and, when the session belongs to an organization, org_id and role.
// There is no email or name in it: those live in the `users` table, synced from WorkOS.
import { ConvexError } from "convex/values";
import type { UserIdentity } from "convex/server";
import {
  customCtx,
  customMutation,
  customQuery,
} from "convex-helpers/server/customFunctions";
import { mutation, query, type QueryCtx } from "../_generated/server";

/** The caller's identity, or null when the request carries no (valid) token. */
export async function getIdentity(ctx: { auth: QueryCtx["auth"] }) {
  return await ctx.auth.getUserIdentity();
}

/** The caller's identity; throws a ConvexError with code "UNAUTHENTICATED" when signed out. */
export async function requireIdentity(ctx: { auth: QueryCtx["auth"] }): Promise<UserIdentity> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) {
    throw new ConvexError({
      code: "UNAUTHENTICATED",
      message: "You must be signed in to do this.",
    });
  }
  return identity;
}

/**
 * The signed-in user's row in the `users` table, or null when signed out or when the user
 * has not been synced from WorkOS yet (webhooks deliver within seconds of sign-up; run the
 * backfill for users that existed before the webhook).
 */
export async function getCurrentUser(ctx: QueryCtx) {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) return null;
  return await ctx.db
    .query("users")
    .withIndex("by_workos_id", (q) => q.eq("workosId", identity.subject))
    .unique();
}

/** The organization and role of the session, read from the token's org_id and role claims. */
export function getOrganization(identity: UserIdentity) {
  const organizationId = typeof identity.org_id === "string" ? identity.org_id : null;
  const role = typeof identity.role === "string" ? identity.role : null;
  return { organizationId, role };
}

/**
 * Checks that the session belongs to an organization (and, when `role` is given, has that
 * role). WorkOS puts the organization and role of the session into the token, so this
 * works with and without synced membership rows.
 */
export function requireOrganization(identity: UserIdentity, role?: string) {
  const { organizationId, role: sessionRole } = getOrganization(identity);
  if (organizationId === null) {
    throw new ConvexError({
      code: "NO_ORGANIZATION",
      message: "Select an organization to do this.",
    });
  }
  if (role !== undefined && sessionRole !== role) {
    throw new ConvexError({
      code: "FORBIDDEN",
      message: `This needs the "${role}" role in the organization.`,
    });
  }
  return { organizationId, role: sessionRole };
}

/**
 * With synced memberships (the WorkOS webhook), a revoked membership stops granting access at
 * once rather than when the token expires (minutes later): throws FORBIDDEN when the synced
 * membership of this user in this organization is not "active" (pending or deactivated), or
 * when the user or the organization was deleted. Without a synced row (an app without
 * webhooks, or an event not delivered yet), the token's org_id and role decide.
 */
export async function requireMembershipNotRevoked(
  ctx: { db: QueryCtx["db"] },
  userId: string,
  organizationId: string,
) {
  const membership = await ctx.db
    .query("memberships")
    .withIndex("by_user_and_organization", (q) =>
      q.eq("workosUserId", userId).eq("workosOrganizationId", organizationId),
    )
    .first();
  const wasDeleted = async (workosId: string) =>
    (await ctx.db
      .query("deletions")
      .withIndex("by_workos_id", (q) => q.eq("workosId", workosId))
      .first()) !== null;
  if (
    (membership !== null && membership.status !== "active") ||
    (await wasDeleted(organizationId)) ||
    (await wasDeleted(userId))
  ) {
    throw new ConvexError({
      code: "FORBIDDEN",
      message: "Your membership of this organization is not active.",
    });
  }
}

/**
 * `authedQuery` / `authedMutation`: like `query` / `mutation`, but the caller must be signed
 * in. The handler gets `ctx.identity` (the token's claims) and `ctx.userId` (WorkOS user id).
 *
 *   export const list = authedQuery({ args: {}, handler: async (ctx) => { ctx.userId … } });
 */
export const authedQuery = customQuery(
  query,
  customCtx(async (ctx) => {
    const identity = await requireIdentity(ctx);
    return { identity, userId: identity.subject };
  }),
);

export const authedMutation = customMutation(
  mutation,
  customCtx(async (ctx) => {
    const identity = await requireIdentity(ctx);
    return { identity, userId: identity.subject };
  }),
);

/**
 * `orgQuery` / `orgMutation`: the caller must be signed in to an organization, and have
 * `role` when one is given, and the membership must not be revoked (see above). The handler also gets `ctx.organizationId` and `ctx.role`.
 *
 *   export const settings = orgQuery({ role: "admin", args: {}, handler: async (ctx) => … });
 */
export const orgQuery = customQuery(query, {
  args: {},
  input: async (ctx, _args, { role }: { role?: string }) => {
    const identity = await requireIdentity(ctx);
    const organization = requireOrganization(identity, role);
    await requireMembershipNotRevoked(ctx, identity.subject, organization.organizationId);
    return {
      ctx: { identity, userId: identity.subject, ...organization },
      args: {},
    };
  },
});

export const orgMutation = customMutation(mutation, {
  args: {},
  input: async (ctx, _args, { role }: { role?: string }) => {
    const identity = await requireIdentity(ctx);
    const organization = requireOrganization(identity, role);
    await requireMembershipNotRevoked(ctx, identity.subject, organization.organizationId);
    return {
      ctx: { identity, userId: identity.subject, ...organization },
      args: {},
    };
  },
});
