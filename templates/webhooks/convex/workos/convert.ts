// Turns WorkOS SDK objects (from webhook events or list calls) into rows of our tables.
// Each returns null when a required field is missing or has the wrong type, so a
// malformed event is rejected instead of half-written.
import type { Infer } from "convex/values";
import type { membershipFields, organizationFields, userFields } from "./sync";

type Loose = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === "string";
const stringOrNull = (value: unknown) => (isString(value) ? value : null);

export function toUser(data: unknown): Infer<typeof userFields> | null {
  const u = (data ?? {}) as Loose;
  if (!isString(u.id) || !isString(u.email) || !isString(u.updatedAt)) return null;
  return {
    workosId: u.id,
    email: u.email,
    emailVerified: u.emailVerified === true,
    firstName: stringOrNull(u.firstName),
    lastName: stringOrNull(u.lastName),
    profilePictureUrl: stringOrNull(u.profilePictureUrl),
    updatedAt: u.updatedAt,
  };
}

export function toOrganization(data: unknown): Infer<typeof organizationFields> | null {
  const o = (data ?? {}) as Loose;
  if (!isString(o.id) || !isString(o.name) || !isString(o.updatedAt)) return null;
  // The SDK gives domains as objects ({ domain, state, … }); store the names.
  const domains = Array.isArray(o.domains)
    ? o.domains
        .map((d: unknown) => (isString(d) ? d : stringOrNull((d as Loose | null)?.domain)))
        .filter(isString)
    : [];
  return { workosId: o.id, name: o.name, domains, updatedAt: o.updatedAt };
}

export function toMembership(data: unknown): Infer<typeof membershipFields> | null {
  const m = (data ?? {}) as Loose;
  const role = stringOrNull((m.role as Loose | null)?.slug);
  if (
    !isString(m.id) ||
    !isString(m.userId) ||
    !isString(m.organizationId) ||
    !isString(m.status) ||
    !isString(m.updatedAt) ||
    role === null
  ) {
    return null;
  }
  const roles = Array.isArray(m.roles)
    ? m.roles.map((r: unknown) => stringOrNull((r as Loose | null)?.slug)).filter(isString)
    : undefined;
  return {
    workosId: m.id,
    workosUserId: m.userId,
    workosOrganizationId: m.organizationId,
    role,
    ...(roles ? { roles } : {}),
    status: m.status,
    updatedAt: m.updatedAt,
  };
}
