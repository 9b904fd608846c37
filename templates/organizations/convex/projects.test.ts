import { convexTest } from "convex-test";
import { afterEach, describe, expect, test, vi } from "vitest";
import roles from "../workos/roles.json";
import { api, internal } from "./_generated/api";
import schema from "./schema";
import { modules } from "./test.setup";

// Alice is an admin of org_a, Bob an admin of org_b; Vera is a viewer of org_a (no projects:write).
const issuer = "https://api.workos.com/user_management/client_test";
const permissionsOf = (role: string) => roles.roles.find((r) => r.slug === role)?.permissions ?? [];
/** The identity of a session in an organization, with the claims WorkOS puts in its access token. */
function session(user: string, org: string, role: string) {
  return { subject: user, issuer, org_id: org, role, roles: [role], permissions: permissionsOf(role) };
}
const aliceInA = session("user_alice", "org_a", "admin");
const bobInB = session("user_bob", "org_b", "admin");
const veraInA = session("user_vera", "org_a", "viewer");

function membership(workosId: string, workosUserId: string, workosOrganizationId: string, role: string, status = "active") {
  return { workosId, workosUserId, workosOrganizationId, role, roles: [role], status, updatedAt: "2026-01-01T00:00:00.000Z" };
}

async function twoOrganizations() {
  const t = convexTest(schema, modules);
  await t.run(async (ctx) => {
    await ctx.db.insert("memberships", membership("om_alice", "user_alice", "org_a", "admin"));
    await ctx.db.insert("memberships", membership("om_bob", "user_bob", "org_b", "admin"));
    await ctx.db.insert("memberships", membership("om_vera", "user_vera", "org_a", "viewer"));
  });
  return t;
}

/** A WorkOS event as the webhook applies it (convex/workos/sync.ts). */
let eventCount = 0;
const event = () => ({ id: `event_${String(++eventCount).padStart(4, "0")}`, createdAt: "2026-02-01T00:00:00.000Z" });

const names = (list: { projects: { name: string }[] }) => list.projects.map((p) => p.name).sort();

afterEach(() => {
  vi.useRealTimers();
});

describe("projects are scoped to the session's organization", () => {
  test("a member lists and creates projects of their organization only", async () => {
    const t = await twoOrganizations();
    await t.withIdentity(aliceInA).mutation(api.projects.create, { name: "Apollo" });
    await t.withIdentity(bobInB).mutation(api.projects.create, { name: "Borealis" });
    expect(names(await t.withIdentity(aliceInA).query(api.projects.list, {}))).toEqual(["Apollo"]);
    expect(names(await t.withIdentity(bobInB).query(api.projects.list, {}))).toEqual(["Borealis"]);
  });

  test("a member of A cannot read B's rows by naming B in their token", async () => {
    const t = await twoOrganizations();
    await t.withIdentity(bobInB).mutation(api.projects.create, { name: "Borealis" });
    // Alice's session claims org_b, but she has no membership there.
    const aliceClaimingB = session("user_alice", "org_b", "admin");
    await expect(t.withIdentity(aliceClaimingB).query(api.projects.list, {})).rejects.toThrow(/FORBIDDEN/);
    await expect(t.withIdentity(aliceClaimingB).mutation(api.projects.create, { name: "Intruder" })).rejects.toThrow(/FORBIDDEN/);
    expect(names(await t.withIdentity(bobInB).query(api.projects.list, {}))).toEqual(["Borealis"]);
  });

  test("a member of A cannot delete B's row by its id", async () => {
    const t = await twoOrganizations();
    const id = await t.withIdentity(bobInB).mutation(api.projects.create, { name: "Borealis" });
    await expect(t.withIdentity(aliceInA).mutation(api.projects.remove, { id })).rejects.toThrow(/NOT_FOUND/);
    expect(names(await t.withIdentity(bobInB).query(api.projects.list, {}))).toEqual(["Borealis"]);
    await t.withIdentity(bobInB).mutation(api.projects.remove, { id });
    expect(names(await t.withIdentity(bobInB).query(api.projects.list, {}))).toEqual([]);
  });

  test("a session without an organization is refused", async () => {
    const t = await twoOrganizations();
    await expect(t.withIdentity({ subject: "user_alice", issuer }).query(api.projects.list, {})).rejects.toThrow(/NO_ORGANIZATION/);
    await expect(t.query(api.projects.list, {})).rejects.toThrow(/UNAUTHENTICATED/);
  });
});

describe("permissions", () => {
  test("a member without projects:write reads but cannot write", async () => {
    const t = await twoOrganizations();
    await t.withIdentity(aliceInA).mutation(api.projects.create, { name: "Apollo" });
    const list = await t.withIdentity(veraInA).query(api.projects.list, {});
    expect(names(list)).toEqual(["Apollo"]);
    expect(list.canWrite).toBe(false);
    await expect(t.withIdentity(veraInA).mutation(api.projects.create, { name: "Mine" })).rejects.toThrow(/projects:write/);
    const id = list.projects[0]!._id;
    await expect(t.withIdentity(veraInA).mutation(api.projects.remove, { id })).rejects.toThrow(/FORBIDDEN/);
    expect((await t.withIdentity(aliceInA).query(api.projects.list, {})).canWrite).toBe(true);
  });

  test("a member demoted in WorkOS loses the old role's permissions before their token is refreshed", async () => {
    const t = await twoOrganizations();
    await t.mutation(internal.workos.sync.applyEvent, {
      event: event(),
      change: { upsert: "memberships", row: { ...membership("om_alice", "user_alice", "org_a", "viewer"), updatedAt: "2026-02-01T00:00:00.000Z" } },
    });
    // Her token still says admin, with the admin's permissions.
    await expect(t.withIdentity(aliceInA).mutation(api.projects.create, { name: "Apollo" })).rejects.toThrow(/FORBIDDEN/);
  });

  test("every permission the code checks is declared in workos/roles.json", () => {
    const declared = roles.permissions.map((p) => p.slug);
    for (const p of ["projects:read", "projects:write"]) expect(declared).toContain(p);
  });
});

describe("membership status decides on every call", () => {
  test("pending and inactive memberships grant nothing", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      await ctx.db.insert("memberships", membership("om_p", "user_alice", "org_a", "admin", "pending"));
      await ctx.db.insert("memberships", membership("om_i", "user_alice", "org_b", "admin", "inactive"));
    });
    await expect(t.withIdentity(aliceInA).query(api.projects.list, {})).rejects.toThrow(/FORBIDDEN/);
    await expect(t.withIdentity(session("user_alice", "org_b", "admin")).query(api.projects.list, {})).rejects.toThrow(/FORBIDDEN/);
  });

  test("a removed member loses access on their next call, with the same token", async () => {
    const t = await twoOrganizations();
    await t.withIdentity(veraInA).query(api.projects.list, {});
    await t.mutation(internal.workos.sync.applyEvent, { event: event(), change: { delete: "memberships", workosId: "om_vera" } });
    await expect(t.withIdentity(veraInA).query(api.projects.list, {})).rejects.toThrow(/FORBIDDEN/);
  });

  test("a deactivated member loses access on their next call", async () => {
    const t = await twoOrganizations();
    await t.mutation(internal.workos.sync.applyEvent, {
      event: event(),
      change: { upsert: "memberships", row: { ...membership("om_alice", "user_alice", "org_a", "admin", "inactive"), updatedAt: "2026-02-01T00:00:00.000Z" } },
    });
    await expect(t.withIdentity(aliceInA).query(api.projects.list, {})).rejects.toThrow(/FORBIDDEN/);
  });
});

describe("deleting an organization", () => {
  test("removes its memberships at once and its projects in a scheduled cleanup; other organizations keep theirs", async () => {
    vi.useFakeTimers();
    const t = await twoOrganizations();
    await t.withIdentity(aliceInA).mutation(api.projects.create, { name: "Apollo" });
    await t.withIdentity(bobInB).mutation(api.projects.create, { name: "Borealis" });
    await t.mutation(internal.workos.sync.applyEvent, { event: event(), change: { delete: "organizations", workosId: "org_a" } });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const left = await t.run(async (ctx) => ({
      projects: (await ctx.db.query("projects").collect()).map((p) => p.name),
      memberships: (await ctx.db.query("memberships").collect()).map((m) => m.workosId),
    }));
    expect(left).toEqual({ projects: ["Borealis"], memberships: ["om_bob"] });
  });

  test("the cleanup goes in batches when the organization has many projects", async () => {
    vi.useFakeTimers();
    const t = await twoOrganizations();
    await t.run(async (ctx) => {
      for (let i = 0; i < 1100; i++) await ctx.db.insert("projects", { workosOrganizationId: "org_a", name: `p${i}`, createdBy: "user_alice" });
    });
    await t.mutation(internal.organizations.cleanup.removeOrganizationData, { workosOrganizationId: "org_a" });
    expect(await t.run(async (ctx) => (await ctx.db.query("projects").collect()).length)).toBe(600);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await t.run(async (ctx) => (await ctx.db.query("projects").collect()).length)).toBe(0);
  });
});
