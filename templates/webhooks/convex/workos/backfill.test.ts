import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { internal } from "../_generated/api";
import schema from "../schema";
import { modules } from "../test.setup";

// A stand-in for the WorkOS API: the SDK calls `fetch`, which the test replaces.
const now = "2026-01-01T00:00:00.000Z";
const user = (n: number) => ({
  object: "user", id: `user_${n}`, email: `user${n}@example.com`, email_verified: true,
  first_name: `User${n}`, last_name: null, profile_picture_url: null, external_id: null,
  metadata: {}, created_at: now, updated_at: now,
});
const organization = (n: number) => ({
  object: "organization", id: `org_${n}`, name: `Org ${n}`, domains: [],
  allow_profiles_outside_organization: false, external_id: null, metadata: {},
  created_at: now, updated_at: now,
});
const membership = (n: number, org: string) => ({
  object: "organization_membership", id: `om_${org}_${n}`, user_id: `user_${n}`,
  organization_id: org, status: "active", role: { slug: "member" }, created_at: now, updated_at: now,
});

const allUsers = [1, 2, 3, 4, 5].map(user);
const allOrganizations = [1, 2, 3].map(organization);
const allMemberships: Record<string, object[]> = {
  org_1: [1, 2, 3].map((n) => membership(n, "org_1")),
  org_2: [],
  org_3: [4].map((n) => membership(n, "org_3")),
};

/** Answers a list call one page at a time, following `limit` and `after` like WorkOS. */
function page(items: { id: string }[], url: URL) {
  const limit = Number(url.searchParams.get("limit") ?? 10);
  const after = url.searchParams.get("after");
  const start = after ? items.findIndex((i) => i.id === after) + 1 : 0;
  const data = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return Response.json({
    object: "list",
    data,
    list_metadata: { before: null, after: more ? data[data.length - 1].id : null },
  });
}

const requests: string[] = [];
/** When set, the users page after this cursor answers 401 once (the SDK does not retry it). */
let failUsersAfter: string | null = null;
/** When set, every list is empty (as with the API key of another, empty, environment). */
let empty = false;
function fakeWorkOS(input: RequestInfo | URL) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  requests.push(url.pathname + url.search);
  if (empty) return page([], url);
  if (failUsersAfter !== null && url.pathname === "/user_management/users" && url.searchParams.get("after") === failUsersAfter) {
    failUsersAfter = null;
    return Response.json({ message: "Unauthorized" }, { status: 401 });
  }
  switch (url.pathname) {
    case "/user_management/users":
      return page(allUsers, url);
    case "/organizations":
      return page(allOrganizations, url);
    case "/user_management/organization_memberships": {
      const memberships = allMemberships[url.searchParams.get("organization_id") ?? ""];
      if (!memberships) return Response.json({ message: "Organization not found" }, { status: 404 });
      return page(memberships as { id: string }[], url);
    }
    default:
      return Response.json({ message: "not found" }, { status: 404 });
  }
}

beforeEach(() => {
  requests.length = 0;
  failUsersAfter = null;
  empty = false;
  vi.stubEnv("WORKOS_API_KEY", "sk_test_key");
  vi.stubGlobal("fetch", vi.fn(async (input: RequestInfo | URL) => fakeWorkOS(input)));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const count = (t: ReturnType<typeof convexTest>, table: "users" | "organizations" | "memberships") =>
  t.run(async (ctx) => (await ctx.db.query(table).collect()).length);
const usersAfter = () =>
  requests
    .filter((r) => r.startsWith("/user_management/users"))
    .map((r) => new URL(r, "http://x").searchParams.get("after"));

test("backfill pages through users, organizations and memberships", async () => {
  const t = convexTest(schema, modules);
  const counts = await t.action(internal.workos.backfill.run, { pageSize: 2 });
  expect(counts).toEqual({ done: true, users: 5, organizations: 3, memberships: 4, pruned: 0 });

  const rows = await t.run(async (ctx) => ({
    users: await ctx.db.query("users").collect(),
    organizations: await ctx.db.query("organizations").collect(),
    memberships: await ctx.db.query("memberships").collect(),
  }));
  expect(rows.users.map((u) => u.workosId).sort()).toEqual(allUsers.map((u) => u.id).sort());
  expect(rows.organizations).toHaveLength(3);
  expect(rows.memberships).toHaveLength(4);
  // 3 pages of users, 2 of organizations, then one or two per organization.
  expect(requests.filter((r) => r.startsWith("/user_management/users"))).toHaveLength(3);
  expect(requests.filter((r) => r.startsWith("/organizations"))).toHaveLength(2);
});

test("running the backfill twice changes nothing and keeps newer rows", async () => {
  const t = convexTest(schema, modules);
  await t.mutation(internal.workos.sync.upsertMany, {
    users: [{
      workosId: "user_1", email: "newer@example.com", emailVerified: true, firstName: "Newer",
      lastName: null, profilePictureUrl: null, updatedAt: "2026-06-01T00:00:00.000Z",
    }],
  });
  await t.action(internal.workos.backfill.run, {});
  await t.action(internal.workos.backfill.run, {});
  const users = await t.run((ctx) => ctx.db.query("users").collect());
  expect(users).toHaveLength(5);
  expect(users.find((u) => u.workosId === "user_1")?.email).toBe("newer@example.com");
});

test("a backfill that fails half-way resumes from the page it reached", async () => {
  const t = convexTest(schema, modules);
  failUsersAfter = "user_4";
  await expect(t.action(internal.workos.backfill.run, { pageSize: 2 })).rejects.toThrow();
  expect(await count(t, "users")).toBe(4);
  expect(await t.query(internal.workos.backfill.progress, {})).toMatchObject({ done: false, users: 4 });

  requests.length = 0;
  const counts = await t.action(internal.workos.backfill.run, { pageSize: 2 });
  expect(counts).toEqual({ done: true, users: 5, organizations: 3, memberships: 4, pruned: 0 });
  // Users 1-4 are not asked for again.
  expect(usersAfter()).toEqual(["user_4"]);
});

test("a long backfill goes on in new actions instead of running into the time limit", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  const t = convexTest(schema, modules);
  const first = await t.action(internal.workos.backfill.run, { pageSize: 2, timeBudgetMs: 0 });
  expect(first).toEqual({ done: false, users: 2, organizations: 0, memberships: 0, pruned: 0 });
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  expect(await t.query(internal.workos.backfill.progress, {})).toEqual({ done: true, users: 5, organizations: 3, memberships: 4, pruned: 0 });
  expect(await count(t, "memberships")).toBe(4);
});

test("a finished backfill starts over when run again; an organization WorkOS no longer has is passed over", async () => {
  const t = convexTest(schema, modules);
  await t.mutation(internal.workos.sync.upsertMany, {
    organizations: [{ workosId: "org_0", name: "Gone", domains: [], updatedAt: now }],
  });
  await t.action(internal.workos.backfill.run, {});
  requests.length = 0;
  expect(await t.action(internal.workos.backfill.run, {})).toEqual({ done: true, users: 5, organizations: 3, memberships: 4, pruned: 0 });
  expect(usersAfter()).toEqual([null]);
});

describe("after a full pass", () => {
  const old = "2025-06-01T00:00:00.000Z";
  /** Rows WorkOS no longer has (deleted while no webhook reached us), and one made just now. */
  async function strays(t: ReturnType<typeof convexTest>) {
    await t.mutation(internal.workos.sync.upsertMany, {
      users: [
        { workosId: "user_gone", email: "gone@example.com", emailVerified: true, firstName: null, lastName: null, profilePictureUrl: null, updatedAt: old },
        { workosId: "user_new", email: "new@example.com", emailVerified: true, firstName: null, lastName: null, profilePictureUrl: null, updatedAt: new Date().toISOString() },
      ],
      organizations: [{ workosId: "org_gone", name: "Gone", domains: [], updatedAt: old }],
      memberships: [
        { workosId: "om_gone", workosUserId: "user_1", workosOrganizationId: "org_gone", role: "member", status: "active", updatedAt: old },
        { workosId: "om_stray", workosUserId: "user_1", workosOrganizationId: "org_1", role: "member", status: "active", updatedAt: old },
      ],
    });
  }
  const ids = (t: ReturnType<typeof convexTest>, table: "users" | "organizations" | "memberships") =>
    t.run(async (ctx) => (await ctx.db.query(table).collect()).map((r) => r.workosId).sort());

  test("rows WorkOS no longer has are deleted; rows it has or that changed since the pass began are kept", async () => {
    const t = convexTest(schema, modules);
    await strays(t);
    const counts = await t.action(internal.workos.backfill.run, { pageSize: 2 });
    // user_gone, org_gone and om_stray (om_gone goes with its organization).
    expect(counts).toEqual({ done: true, users: 5, organizations: 3, memberships: 4, pruned: 3 });
    expect(await ids(t, "users")).toEqual([...allUsers.map((u) => u.id), "user_new"].sort());
    expect(await ids(t, "organizations")).toEqual(["org_1", "org_2", "org_3"]);
    expect(await ids(t, "memberships")).toEqual(["om_org_1_1", "om_org_1_2", "om_org_1_3", "om_org_3_4"]);
    // Remembered like a delete event: a late event cannot bring them back.
    await t.mutation(internal.workos.sync.upsertMany, {
      organizations: [{ workosId: "org_gone", name: "Back?", domains: [], updatedAt: new Date().toISOString() }],
    });
    expect(await ids(t, "organizations")).toEqual(["org_1", "org_2", "org_3"]);
  });

  test("a pass that sees no users at all (another environment's key) deletes nothing", async () => {
    const t = convexTest(schema, modules);
    await strays(t);
    empty = true;
    expect(await t.action(internal.workos.backfill.run, {})).toMatchObject({ done: true, pruned: 0 });
    expect(await ids(t, "users")).toEqual(["user_gone", "user_new"]);
  });
});
