import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

// These tables mirror WorkOS. WorkOS is the source of truth: rows are written only by the
// sync mutations in convex/workos/sync.ts (fed by the WorkOS webhook, the catch-up from the
// WorkOS Events API and the backfill). In an app created without webhooks they stay empty.
// `workosId` is the WorkOS object id; `updatedAt` is WorkOS's own `updated_at` (ISO 8601) and
// `lastEvent` the WorkOS event that wrote the row (absent when the backfill did): together
// they order changes, so events that arrive late or twice are ignored.
// `backfillPass` is the last backfill pass that saw the row in WorkOS: after a full pass, a row
// it did not see (and that did not change since the pass began) is gone from WorkOS.
const lastEvent = v.optional(v.object({ id: v.string(), createdAt: v.string() }));
const backfillPass = v.optional(v.number());

export default defineSchema({
  users: defineTable({
    workosId: v.string(), // "user_…", equal to the `sub` claim of the user's access token
    email: v.string(),
    emailVerified: v.boolean(),
    firstName: v.union(v.string(), v.null()),
    lastName: v.union(v.string(), v.null()),
    profilePictureUrl: v.union(v.string(), v.null()),
    updatedAt: v.string(),
    lastEvent,
    backfillPass,
  })
    .index("by_workos_id", ["workosId"])
    .index("by_email", ["email"]),

  organizations: defineTable({
    workosId: v.string(), // "org_…", equal to the `org_id` claim
    name: v.string(),
    domains: v.array(v.string()),
    updatedAt: v.string(),
    lastEvent,
    backfillPass,
  }).index("by_workos_id", ["workosId"]),

  // Memberships point at users and organizations by WorkOS id (not Convex id), so a
  // membership that arrives before its user or organization is kept as is. Only an
  // "active" membership grants access: "pending" (invited, not yet accepted) and "inactive"
  // (deactivated) ones are kept, marked by their status, for admins to see.
  memberships: defineTable({
    workosId: v.string(), // "om_…"
    workosUserId: v.string(),
    workosOrganizationId: v.string(),
    role: v.string(), // role slug, e.g. "member" or "admin"
    roles: v.optional(v.array(v.string())),
    status: v.string(), // "active" | "inactive" | "pending"
    updatedAt: v.string(),
    lastEvent,
    backfillPass,
  })
    .index("by_workos_id", ["workosId"])
    .index("by_user", ["workosUserId"])
    .index("by_user_and_status", ["workosUserId", "status"])
    .index("by_organization", ["workosOrganizationId"])
    .index("by_user_and_organization", ["workosUserId", "workosOrganizationId"]),

  // WorkOS ids of deleted objects. WorkOS never reuses ids, so an event about a deleted
  // object that arrives after its delete event (out of order) is ignored.
  deletions: defineTable({
    workosId: v.string(),
  }).index("by_workos_id", ["workosId"]),

  // Where the WorkOS sync's long-running jobs are (convex/workos/), one row each, so they
  // resume where they stopped: "events" (catch-up: the id of the last event applied) and
  // "backfill" (its phase, the organization whose memberships it lists, the list cursor).
  syncState: defineTable({
    name: v.string(), // "events" | "backfill"
    cursor: v.optional(v.string()),
    phase: v.optional(v.string()), // backfill: "users" | "organizations" | "memberships" | "prune…" | "done"
    organizationId: v.optional(v.string()),
    startedAt: v.optional(v.number()), // backfill: when the pass began (it marks the rows it saw)
    counts: v.optional(
      v.object({ users: v.number(), organizations: v.number(), memberships: v.number(), pruned: v.number() }),
    ),
  }).index("by_name", ["name"]),

  // Ids of the WorkOS events already applied, so a second delivery of one changes nothing.
  // Kept 30 days (convex/crons.ts), longer than WorkOS retries a delivery.
  workosEvents: defineTable({
    eventId: v.string(), // "event_…"
  }).index("by_event_id", ["eventId"]),
});
