import { convexTest } from "convex-test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { internal } from "../_generated/api";
import schema from "../schema";
import { modules } from "../test.setup";

// A stand-in for the WorkOS Events API: the SDK calls `fetch`, which the test replaces.
const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, "0")}:00.000Z`;
const user = (id: string, minute: number, firstName = "Ada") => ({
  object: "user", id, email: `${id}@example.com`, email_verified: true, first_name: firstName,
  last_name: null, profile_picture_url: null, external_id: null, metadata: {},
  created_at: at(0), updated_at: at(minute),
});
const events = [
  { event: "user.created", data: user("user_1", 1) },
  { event: "user.created", data: user("user_2", 2) },
  { event: "organization.created", data: { object: "organization", id: "org_1", name: "Acme", domains: [], allow_profiles_outside_organization: false, external_id: null, metadata: {}, created_at: at(3), updated_at: at(3) } },
  { event: "organization_membership.created", data: { object: "organization_membership", id: "om_1", user_id: "user_1", organization_id: "org_1", status: "active", role: { slug: "member" }, created_at: at(4), updated_at: at(4) } },
  { event: "user.updated", data: user("user_1", 5, "Augusta") },
].map((e, n) => ({ object: "event", id: `event_0${n + 1}`, created_at: at(n + 1), ...e }));

const requests: string[] = [];
/** Answers GET /events after `after`, oldest first, like WorkOS; `failOn` answers 401 once for that cursor. */
let failOn: string | null = null;
function fakeWorkOS(input: RequestInfo | URL) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  requests.push(url.pathname + url.search);
  if (url.pathname !== "/events") return Response.json({ message: "not found" }, { status: 404 });
  const after = url.searchParams.get("after");
  if (failOn !== null && after === failOn) {
    failOn = null;
    return Response.json({ message: "Unauthorized" }, { status: 401 });
  }
  const limit = Number(url.searchParams.get("limit") ?? 10);
  const start = after ? events.findIndex((e) => e.id === after) + 1 : 0;
  const data = events.slice(start, start + limit);
  const more = start + limit < events.length;
  return Response.json({ object: "list", data, list_metadata: { after: more ? data[data.length - 1].id : null } });
}

beforeEach(() => {
  requests.length = 0;
  failOn = null;
  vi.stubEnv("WORKOS_API_KEY", "sk_test_key");
  vi.stubGlobal("fetch", vi.fn(async (input: RequestInfo | URL) => fakeWorkOS(input)));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const afters = () => requests.map((r) => new URL(r, "http://x").searchParams.get("after"));

test("applies the events the webhook missed and remembers where it stopped", async () => {
  const t = convexTest(schema, modules);
  expect(await t.action(internal.workos.catchUp.run, { pageSize: 2 })).toEqual({ applied: 5 });
  const rows = await t.run(async (ctx) => ({
    users: await ctx.db.query("users").collect(),
    memberships: await ctx.db.query("memberships").collect(),
  }));
  expect(rows.users.map((u) => [u.workosId, u.firstName]).sort()).toEqual([["user_1", "Augusta"], ["user_2", "Ada"]]);
  expect(rows.memberships.map((m) => m.workosId)).toEqual(["om_1"]);
  // Only the synced event types are asked for.
  expect(new URL(requests[0], "http://x").searchParams.get("events")).toContain("organization_membership.deleted");

  requests.length = 0;
  expect(await t.action(internal.workos.catchUp.run, { pageSize: 2 })).toEqual({ applied: 0 });
  expect(afters()).toEqual(["event_05"]);
});

test("events the webhook already applied are skipped by their id", async () => {
  const t = convexTest(schema, modules);
  await t.mutation(internal.workos.sync.applyEvent, {
    event: { id: "event_01", createdAt: at(1) },
    change: { upsert: "users", row: { workosId: "user_1", email: "user_1@example.com", emailVerified: true, firstName: "Ada", lastName: null, profilePictureUrl: null, updatedAt: at(1) } },
  });
  expect(await t.action(internal.workos.catchUp.run, {})).toEqual({ applied: 4 });
});

test("a run that fails half-way resumes after the last page it applied", async () => {
  const t = convexTest(schema, modules);
  failOn = "event_02";
  await expect(t.action(internal.workos.catchUp.run, { pageSize: 2 })).rejects.toThrow();
  expect(await t.run((ctx) => ctx.db.query("users").collect())).toHaveLength(2);
  requests.length = 0;
  expect(await t.action(internal.workos.catchUp.run, { pageSize: 2 })).toEqual({ applied: 3 });
  expect(afters()[0]).toBe("event_02");
});

test("a long catch-up goes on in new actions instead of running into the time limit", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  const t = convexTest(schema, modules);
  await t.action(internal.workos.catchUp.run, { pageSize: 1, timeBudgetMs: 0 });
  expect(requests).toHaveLength(1);
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  expect(await t.run((ctx) => ctx.db.query("users").collect())).toHaveLength(2);
  expect(requests).toHaveLength(5);
});
