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
