import { convexTest } from "convex-test";
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api";
import schema from "./schema";
import { modules } from "./test.setup";

const alice = {
  subject: "user_alice",
  issuer: "https://api.workos.com/user_management/client_test",
};

describe("users.me", () => {
  test("returns null when signed out", async () => {
    const t = convexTest(schema, modules);
    expect(await t.query(api.users.me, {})).toBeNull();
  });

  test("returns the token's user even before the profile is synced", async () => {
    const t = convexTest(schema, modules);
    const me = await t.withIdentity(alice).query(api.users.me, {});
    expect(me).toEqual({
      workosUserId: "user_alice",
      organizationId: null,
      role: null,
      profile: null,
    });
  });

  test("includes the synced profile and the session's organization", async () => {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      await ctx.db.insert("users", {
        workosId: "user_alice",
        email: "alice@example.com",
        emailVerified: true,
        firstName: "Alice",
        lastName: null,
        profilePictureUrl: null,
        updatedAt: "2026-01-01T00:00:00.000Z",
      });
    });
    const me = await t
      .withIdentity({ ...alice, org_id: "org_1", role: "admin" })
      .query(api.users.me, {});
    expect(me?.organizationId).toBe("org_1");
    expect(me?.role).toBe("admin");
    expect(me?.profile?.email).toBe("alice@example.com");
  });
});

describe("auth wrappers", () => {
  test("authedQuery rejects a signed-out caller with UNAUTHENTICATED", async () => {
    const t = convexTest(schema, modules);
    await expect(t.query(api.users.myMemberships, {})).rejects.toThrow(
      /UNAUTHENTICATED/,
    );
  });

  test("authedQuery runs for a signed-in caller", async () => {
    const t = convexTest(schema, modules);
    expect(await t.withIdentity(alice).query(api.users.myMemberships, {})).toEqual([]);
  });

  test("orgQuery needs an organization in the session", async () => {
    const t = convexTest(schema, modules);
    await expect(
      t.withIdentity(alice).query(api.users.organizationMembers, {}),
    ).rejects.toThrow(/NO_ORGANIZATION/);
  });

  test("orgQuery checks the role", async () => {
    const t = convexTest(schema, modules);
    await expect(
      t
        .withIdentity({ ...alice, org_id: "org_1", role: "member" })
        .query(api.users.organizationMembers, {}),
    ).rejects.toThrow(/FORBIDDEN/);
    expect(
      await t
        .withIdentity({ ...alice, org_id: "org_1", role: "admin" })
        .query(api.users.organizationMembers, {}),
    ).toEqual([]);
  });
});

/** Memberships as the WorkOS sync stores them (inserted directly: this works without webhooks too). */
function membership(workosId: string, workosUserId: string, workosOrganizationId: string, role = "member", status = "active") {
  return { workosId, workosUserId, workosOrganizationId, role, status, updatedAt: "2026-01-01T00:00:00.000Z" };
}
const bob = { ...alice, subject: "user_bob" };

describe("membership queries are scoped to the caller", () => {
  // Alice is an admin of org_1, Bob of org_2; Carol is a member of org_1.
  async function twoOrganizations() {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      await ctx.db.insert("memberships", membership("om_alice", "user_alice", "org_1", "admin"));
      await ctx.db.insert("memberships", membership("om_bob", "user_bob", "org_2", "admin"));
      await ctx.db.insert("memberships", membership("om_carol", "user_carol", "org_1"));
    });
    return t;
  }
  const ids = (rows: { workosId: string }[]) => rows.map((r) => r.workosId).sort();

  test("myMemberships returns only the caller's own", async () => {
    const t = await twoOrganizations();
    expect(ids(await t.withIdentity(alice).query(api.users.myMemberships, {}))).toEqual(["om_alice"]);
    expect(ids(await t.withIdentity(bob).query(api.users.myMemberships, {}))).toEqual(["om_bob"]);
  });

  test("organizationMembers returns only the session's organization", async () => {
    const t = await twoOrganizations();
    const aliceAdmin = t.withIdentity({ ...alice, org_id: "org_1", role: "admin" });
    const bobAdmin = t.withIdentity({ ...bob, org_id: "org_2", role: "admin" });
    expect(ids(await aliceAdmin.query(api.users.organizationMembers, {}))).toEqual(["om_alice", "om_carol"]);
    expect(ids(await bobAdmin.query(api.users.organizationMembers, {}))).toEqual(["om_bob"]);
  });
});

describe("pending and inactive memberships grant no access", () => {
  async function withMemberships(...rows: ReturnType<typeof membership>[]) {
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      for (const row of rows) await ctx.db.insert("memberships", row);
    });
    return t;
  }

  test("myMemberships lists active memberships only", async () => {
    const t = await withMemberships(
      membership("om_active", "user_alice", "org_1"),
      membership("om_pending", "user_alice", "org_2", "member", "pending"),
      membership("om_inactive", "user_alice", "org_3", "member", "inactive"),
    );
    const mine = await t.withIdentity(alice).query(api.users.myMemberships, {});
    expect(mine.map((m) => m.workosId)).toEqual(["om_active"]);
  });

  test("admins still see pending and inactive members, marked by their status", async () => {
    const t = await withMemberships(
      membership("om_alice", "user_alice", "org_1", "admin"),
      membership("om_invited", "user_bob", "org_1", "member", "pending"),
    );
    const members = await t
      .withIdentity({ ...alice, org_id: "org_1", role: "admin" })
      .query(api.users.organizationMembers, {});
    expect(members.map((m) => [m.workosId, m.status]).sort()).toEqual([
      ["om_alice", "active"],
      ["om_invited", "pending"],
    ]);
  });

  test.each(["inactive", "pending"])(
    "orgQuery refuses a session whose synced membership is %s, though its token names the organization",
    async (status) => {
      const t = await withMemberships(membership("om_alice", "user_alice", "org_1", "admin", status));
      await expect(
        t.withIdentity({ ...alice, org_id: "org_1", role: "admin" }).query(api.users.organizationMembers, {}),
      ).rejects.toThrow(/FORBIDDEN/);
    },
  );

  test("orgQuery refuses a session whose organization was deleted", async () => {
    const t = convexTest(schema, modules);
    await t.run((ctx) => ctx.db.insert("deletions", { workosId: "org_1" }));
    await expect(
      t.withIdentity({ ...alice, org_id: "org_1", role: "admin" }).query(api.users.organizationMembers, {}),
    ).rejects.toThrow(/FORBIDDEN/);
  });
});
