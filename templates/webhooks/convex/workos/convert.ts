// Turns WorkOS SDK objects (from webhook events, the Events API or list calls) into rows of
// our tables. Each returns null when a required field is missing or has the wrong type, so a
// malformed event is rejected instead of half-written.
import type { Infer } from "convex/values";
import type { Change, membershipFields, organizationFields, Upsert, userFields } from "./sync";

type Loose = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === "string";
const stringOrNull = (value: unknown) => (isString(value) ? value : null);

/** True for a timestamp JavaScript can order (WorkOS sends ISO 8601). */
export const isDate = (value: string) => !Number.isNaN(Date.parse(value));

/**
 * The WorkOS events this app syncs. The CLI registers exactly these on the webhook endpoint
 * (a test in create-authkit-convex checks the two lists agree); every other event, invitations
 * included, is acknowledged and ignored.
 */
export const SYNCED_EVENTS = [
  "user.created",
  "user.updated",
  "user.deleted",
  "organization.created",
  "organization.updated",
  "organization.deleted",
  "organization_membership.created",
  "organization_membership.updated",
  "organization_membership.deleted",
] as const;

export function isSyncedEvent(type: string): type is (typeof SYNCED_EVENTS)[number] {
  return (SYNCED_EVENTS as readonly string[]).includes(type);
}

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

/**
 * What to do with one WorkOS event (as the SDK gives it: camelCase fields):
 *   - `change`: apply it (convex/workos/sync.ts);
 *   - `ignore`: acknowledge it without applying it: an event this app does not sync, or one
 *     whose dates cannot be ordered (storing it would freeze the row: no later update could
 *     be shown to be newer). Retrying would not help, so WorkOS must not retry it;
 *   - `malformed`: a synced event without a field the row needs.
 */
export function toChange(event: {
  event: string;
  createdAt?: unknown;
  data?: unknown;
}): { change: Change } | { ignore: string } | { malformed: string } {
  const type = event.event;
  if (!isSyncedEvent(type)) return { ignore: `${type} is not an event this app syncs` };
  if (!isString(event.createdAt) || !isDate(event.createdAt)) {
    return { ignore: `its created_at ${JSON.stringify(event.createdAt)} is not a date` };
  }
  const [kind, action] = type.split(".");
  const table = kind === "user" ? "users" : kind === "organization" ? "organizations" : "memberships";
  if (action === "deleted") {
    const id = (event.data as Loose | null | undefined)?.id;
    return isString(id) ? { change: { delete: table, workosId: id } } : { malformed: "no data.id" };
  }
  const change: Upsert | null =
    table === "users"
      ? wrap("users", toUser(event.data))
      : table === "organizations"
        ? wrap("organizations", toOrganization(event.data))
        : wrap("memberships", toMembership(event.data));
  if (change === null) return { malformed: "a required field is missing" };
  if (!isDate(change.row.updatedAt)) {
    return { ignore: `its updated_at ${JSON.stringify(change.row.updatedAt)} is not a date` };
  }
  return { change };
}

function wrap<T extends Upsert["upsert"]>(table: T, row: Extract<Upsert, { upsert: T }>["row"] | null) {
  return row === null ? null : ({ upsert: table, row } as Upsert);
}
