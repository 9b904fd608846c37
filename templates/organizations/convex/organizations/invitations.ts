// Invitations to organizations, as the WorkOS webhook delivers them (invitation.created, .accepted,
// .revoked, .resent: convex/http.ts), so admins see who is invited and in what state. An invitation
// grants nothing by itself: the person who accepts it becomes a member (organization_membership.created),
// and only that membership opens the organization's data.
import { v, type Infer } from "convex/values";
import { internalMutation } from "../_generated/server";
import { orgQuery } from "../lib/organizations";

export const INVITATION_EVENTS = ["invitation.created", "invitation.accepted", "invitation.revoked", "invitation.resent"] as const;

export function isInvitationEvent(type: string): boolean {
  return (INVITATION_EVENTS as readonly string[]).includes(type);
}

export const invitationFields = v.object({
  workosId: v.string(),
  email: v.string(),
  state: v.string(),
  workosOrganizationId: v.union(v.string(), v.null()),
  roleSlug: v.union(v.string(), v.null()),
  expiresAt: v.string(),
  updatedAt: v.string(),
});
type Invitation = Infer<typeof invitationFields>;

type Loose = Record<string, unknown>;
const isString = (value: unknown): value is string => typeof value === "string";

/** The row for an invitation as the SDK gives it (camelCase), or null when a required field is missing. */
export function toInvitation(data: unknown): Invitation | null {
  const i = (data ?? {}) as Loose;
  if (!isString(i.id) || !isString(i.email) || !isString(i.state) || !isString(i.expiresAt) || !isString(i.updatedAt)) return null;
  if (Number.isNaN(Date.parse(i.updatedAt))) return null;
  return {
    workosId: i.id,
    email: i.email,
    state: i.state,
    workosOrganizationId: isString(i.organizationId) ? i.organizationId : null,
    roleSlug: isString(i.roleSlug) ? i.roleSlug : null,
    expiresAt: i.expiresAt,
    updatedAt: i.updatedAt,
  };
}

/**
 * Applies one invitation event: once per event id, and only when newer than the stored row
 * (WorkOS's updated_at, then the event's created_at and id), so late or repeated deliveries
 * change nothing. Invitations of a deleted organization are not stored.
 */
export const apply = internalMutation({
  args: { event: v.object({ id: v.string(), createdAt: v.string() }), row: invitationFields },
  handler: async (ctx, { event, row }): Promise<"inserted" | "updated" | "unchanged" | "duplicate"> => {
    const seen = await ctx.db
      .query("workosEvents")
      .withIndex("by_event_id", (q) => q.eq("eventId", event.id))
      .first();
    if (seen !== null) return "duplicate";
    await ctx.db.insert("workosEvents", { eventId: event.id });
    if (row.workosOrganizationId !== null) {
      const deleted = await ctx.db
        .query("deletions")
        .withIndex("by_workos_id", (q) => q.eq("workosId", row.workosOrganizationId!))
        .first();
      if (deleted !== null) return "unchanged";
    }
    const existing = await ctx.db
      .query("invitations")
      .withIndex("by_workos_id", (q) => q.eq("workosId", row.workosId))
      .unique();
    const fields = { ...row, lastEvent: event };
    if (existing === null) {
      await ctx.db.insert("invitations", fields);
      return "inserted";
    }
    const key = (r: { updatedAt: string; lastEvent?: { id: string; createdAt: string } }) =>
      [Date.parse(r.updatedAt), Date.parse(r.lastEvent?.createdAt ?? "") || -Infinity, r.lastEvent?.id ?? ""] as const;
    const [a, b] = [key(fields), key(existing)];
    const newer = a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];
    if (!newer) return "unchanged";
    await ctx.db.replace(existing._id, fields);
    return "updated";
  },
});

/** The session organization's pending invitations (for those who may invite). */
export const pending = orgQuery({
  permission: "members:invite",
  args: {},
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("invitations")
      .withIndex("by_organization_and_state", (q) => q.eq("workosOrganizationId", ctx.organizationId).eq("state", "pending"))
      .take(100);
    return rows.map((r) => ({ workosId: r.workosId, email: r.email, roleSlug: r.roleSlug, expiresAt: r.expiresAt }));
  },
});
