import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import schema from "../schema";
import { modules } from "../test.setup";

const SECRET = "whsec_test_secret";

/** Signs a body exactly as WorkOS does: `t` in milliseconds, HMAC-SHA256 of "<t>.<body>". */
async function sign(body: string, timestamp = Date.now(), secret = SECRET) {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}.${body}`));
  const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `t=${timestamp}, v1=${hex}`;
}

let eventCounter = 0;
/** A WorkOS event body. Ids sort by time, like WorkOS's; `created_at` is fixed unless given. */
function event(type: string, data: Record<string, unknown> | undefined, meta: { id?: string; createdAt?: string } = {}) {
  eventCounter += 1;
  return JSON.stringify({
    id: meta.id ?? `event_${String(eventCounter).padStart(8, "0")}`,
    event: type,
    data,
    created_at: meta.createdAt ?? "2026-01-01T00:00:00.000Z",
  });
}

function userData(updatedAt: string, overrides: Record<string, unknown> = {}) {
  return {
    object: "user",
    id: "user_1",
    email: "ada@example.com",
    email_verified: true,
    first_name: "Ada",
    last_name: "Lovelace",
    profile_picture_url: null,
    external_id: null,
    metadata: {},
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: updatedAt,
    ...overrides,
  };
}

function organizationData(updatedAt: string, overrides: Record<string, unknown> = {}) {
  return {
    object: "organization",
    id: "org_1",
    name: "Acme",
    allow_profiles_outside_organization: false,
    domains: [
      { object: "organization_domain", id: "org_domain_1", domain: "acme.com", organization_id: "org_1", state: "verified", verification_strategy: "dns", created_at: updatedAt, updated_at: updatedAt },
    ],
    external_id: null,
    metadata: {},
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: updatedAt,
    ...overrides,
  };
}

function membershipData(updatedAt: string, overrides: Record<string, unknown> = {}) {
  return {
    object: "organization_membership",
    id: "om_1",
    user_id: "user_1",
    organization_id: "org_1",
    status: "active",
    role: { slug: "member" },
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: updatedAt,
    ...overrides,
  };
}

async function post(t: ReturnType<typeof convexTest>, body: string, sigHeader?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const signature = sigHeader ?? (await sign(body));
  if (signature) headers["WorkOS-Signature"] = signature;
  return await t.fetch("/workos/webhook", { method: "POST", headers, body });
}

async function send(
  t: ReturnType<typeof convexTest>,
  type: string,
  data: Record<string, unknown>,
  meta: { id?: string; createdAt?: string } = {},
) {
  const response = await post(t, event(type, data, meta));
  expect(response.status).toBe(200);
}

const users = (t: ReturnType<typeof convexTest>) => t.run((ctx) => ctx.db.query("users").collect());
const organizations = (t: ReturnType<typeof convexTest>) =>
  t.run((ctx) => ctx.db.query("organizations").collect());
const memberships = (t: ReturnType<typeof convexTest>) =>
  t.run((ctx) => ctx.db.query("memberships").collect());

beforeEach(() => {
  vi.stubEnv("WORKOS_WEBHOOK_SECRET", SECRET);
  vi.stubEnv("WORKOS_API_KEY", "sk_test_key");
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("signature", () => {
  test("accepts a correctly signed event", async () => {
    const t = convexTest(schema, modules);
    await send(t, "user.created", userData("2026-01-01T00:00:00.000Z"));
    expect(await users(t)).toHaveLength(1);
  });

  test("rejects a missing signature with 401", async () => {
    const t = convexTest(schema, modules);
    const response = await post(t, event("user.created", userData("2026-01-01T00:00:00.000Z")), "");
    expect(response.status).toBe(401);
    expect(await users(t)).toHaveLength(0);
  });

  test("rejects a signature made with another secret with 401", async () => {
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("2026-01-01T00:00:00.000Z"));
    const response = await post(t, body, await sign(body, Date.now(), "whsec_other"));
    expect(response.status).toBe(401);
    expect(await users(t)).toHaveLength(0);
  });

  test("rejects a body changed after signing with 401", async () => {
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("2026-01-01T00:00:00.000Z"));
    const response = await post(t, body.replace("ada@", "eve@"), await sign(body));
    expect(response.status).toBe(401);
  });

  test("rejects a stale timestamp with 401", async () => {
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("2026-01-01T00:00:00.000Z"));
    const tenMinutesAgo = Date.now() - 10 * 60 * 1000;
    const response = await post(t, body, await sign(body, tenMinutesAgo));
    expect(response.status).toBe(401);
  });

  test("rejects a timestamp in seconds (WorkOS uses milliseconds) with 401", async () => {
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("2026-01-01T00:00:00.000Z"));
    const response = await post(t, body, await sign(body, Math.floor(Date.now() / 1000)));
    expect(response.status).toBe(401);
  });

  test("answers 500 when the secret is not configured", async () => {
    vi.stubEnv("WORKOS_WEBHOOK_SECRET", "");
    const t = convexTest(schema, modules);
    const response = await post(t, event("user.created", userData("2026-01-01T00:00:00.000Z")));
    expect(response.status).toBe(500);
  });
});

describe("malformed bodies", () => {
  test("signed body that is not JSON gets 400", async () => {
    const t = convexTest(schema, modules);
    expect((await post(t, "{not json")).status).toBe(400);
  });

  test("signed user event without an email gets 400", async () => {
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("2026-01-01T00:00:00.000Z", { email: undefined }));
    expect((await post(t, body)).status).toBe(400);
    expect(await users(t)).toHaveLength(0);
  });

  test("signed event without data gets 400", async () => {
    const t = convexTest(schema, modules);
    const body = JSON.stringify({ id: "event_x", event: "organization.created", created_at: "2026-01-01T00:00:00.000Z" });
    expect((await post(t, body)).status).toBe(400);
  });

  test("event types the app does not sync get 200 and change nothing", async () => {
    const t = convexTest(schema, modules);
    const body = event("authentication.email_verification_succeeded", { type: "email_verification", status: "succeeded", user_id: "user_1", email: "ada@example.com", ip_address: null, user_agent: null });
    expect((await post(t, body)).status).toBe(200);
    const other = event("some.future_event", { id: "x" });
    expect((await post(t, other)).status).toBe(200);
    expect(await users(t)).toHaveLength(0);
  });
});

describe("users", () => {
  test("user.created, user.updated, user.deleted", async () => {
    const t = convexTest(schema, modules);
    await send(t, "user.created", userData("2026-01-01T00:00:00.000Z"));
    expect(await users(t)).toMatchObject([
      { workosId: "user_1", email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", emailVerified: true, profilePictureUrl: null },
    ]);
    await send(t, "user.updated", userData("2026-01-02T00:00:00.000Z", { first_name: "Augusta" }));
    expect((await users(t))[0].firstName).toBe("Augusta");
    await send(t, "user.deleted", userData("2026-01-03T00:00:00.000Z"));
    expect(await users(t)).toHaveLength(0);
  });

  test("a duplicate delivery changes nothing", async () => {
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("2026-01-01T00:00:00.000Z"));
    expect((await post(t, body)).status).toBe(200);
    expect((await post(t, body)).status).toBe(200);
    expect(await users(t)).toHaveLength(1);
  });

  test("an older update arriving late does not overwrite a newer one", async () => {
    const t = convexTest(schema, modules);
    await send(t, "user.updated", userData("2026-01-02T00:00:00.000Z", { first_name: "New" }));
    await send(t, "user.updated", userData("2026-01-01T00:00:00.000Z", { first_name: "Old" }));
    expect((await users(t))[0].firstName).toBe("New");
  });

  test("an update arriving after the delete does not bring the user back", async () => {
    const t = convexTest(schema, modules);
    await send(t, "user.created", userData("2026-01-01T00:00:00.000Z"));
    await send(t, "user.deleted", userData("2026-01-03T00:00:00.000Z"));
    await send(t, "user.updated", userData("2026-01-02T00:00:00.000Z"));
    expect(await users(t)).toHaveLength(0);
  });

  test("deleting an unknown user is a no-op", async () => {
    const t = convexTest(schema, modules);
    await send(t, "user.deleted", userData("2026-01-03T00:00:00.000Z", { id: "user_unknown" }));
    expect(await users(t)).toHaveLength(0);
  });
});

describe("organizations", () => {
  test("organization.created, updated, deleted", async () => {
    const t = convexTest(schema, modules);
    await send(t, "organization.created", organizationData("2026-01-01T00:00:00.000Z"));
    expect(await organizations(t)).toMatchObject([{ workosId: "org_1", name: "Acme", domains: ["acme.com"] }]);
    await send(t, "organization.updated", organizationData("2026-01-02T00:00:00.000Z", { name: "Acme Inc" }));
    await send(t, "organization.updated", organizationData("2026-01-01T12:00:00.000Z", { name: "Stale" }));
    expect((await organizations(t))[0].name).toBe("Acme Inc");
    await send(t, "organization.deleted", organizationData("2026-01-03T00:00:00.000Z"));
    expect(await organizations(t)).toHaveLength(0);
  });
});

describe("memberships", () => {
  test("a membership arriving before its user and organization is kept", async () => {
    const t = convexTest(schema, modules);
    await send(t, "organization_membership.created", membershipData("2026-01-01T00:00:00.000Z"));
    expect(await memberships(t)).toMatchObject([
      { workosId: "om_1", workosUserId: "user_1", workosOrganizationId: "org_1", role: "member", status: "active" },
    ]);
    await send(t, "user.created", userData("2026-01-01T00:00:00.000Z"));
    await send(t, "organization.created", organizationData("2026-01-01T00:00:00.000Z"));
    expect(await memberships(t)).toHaveLength(1);
  });

  test("role changes apply in order; stale ones are ignored; delete removes", async () => {
    const t = convexTest(schema, modules);
    await send(t, "organization_membership.created", membershipData("2026-01-01T00:00:00.000Z"));
    await send(t, "organization_membership.updated", membershipData("2026-01-03T00:00:00.000Z", { role: { slug: "admin" }, roles: [{ slug: "admin" }] }));
    await send(t, "organization_membership.updated", membershipData("2026-01-02T00:00:00.000Z", { role: { slug: "viewer" } }));
    expect(await memberships(t)).toMatchObject([{ role: "admin", roles: ["admin"] }]);
    await send(t, "organization_membership.deleted", membershipData("2026-01-04T00:00:00.000Z"));
    expect(await memberships(t)).toHaveLength(0);
  });
});

describe("equal updated_at", () => {
  const same = "2026-01-02T00:00:00.000Z";

  test("the later event wins, whichever arrives first", async () => {
    const t = convexTest(schema, modules);
    await send(t, "user.updated", userData(same, { first_name: "First" }), { createdAt: "2026-01-02T00:00:01.000Z" });
    await send(t, "user.updated", userData(same, { first_name: "Second" }), { createdAt: "2026-01-02T00:00:02.000Z" });
    expect((await users(t))[0].firstName).toBe("Second");

    const reversed = convexTest(schema, modules);
    await send(reversed, "user.updated", userData(same, { first_name: "Second" }), { createdAt: "2026-01-02T00:00:02.000Z" });
    await send(reversed, "user.updated", userData(same, { first_name: "First" }), { createdAt: "2026-01-02T00:00:01.000Z" });
    expect((await users(reversed))[0].firstName).toBe("Second");
  });

  test("with equal created_at too, the larger event id (the later one) wins", async () => {
    const t = convexTest(schema, modules);
    await send(t, "organization.updated", organizationData(same, { name: "A" }), { id: "event_01A" });
    await send(t, "organization.updated", organizationData(same, { name: "B" }), { id: "event_01B" });
    await send(t, "organization.updated", organizationData(same, { name: "A again" }), { id: "event_01A0" });
    expect((await organizations(t))[0].name).toBe("B");
  });
});

describe("dates that cannot be ordered", () => {
  test("an unparseable updated_at is acknowledged, logged and not stored", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("yesterday", { first_name: "Bad" }), { id: "event_bad_date" });
    expect((await post(t, body)).status).toBe(200);
    expect(await users(t)).toHaveLength(0);
    expect(errors.mock.calls.flat().join(" ")).toMatch(/event_bad_date.*updated_at "yesterday" is not a date/);

    await send(t, "user.updated", userData("2026-01-02T00:00:00.000Z", { first_name: "Good" }));
    expect(await users(t)).toMatchObject([{ firstName: "Good" }]);
  });

  test("an unparseable created_at is acknowledged and not applied", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("2026-01-01T00:00:00.000Z"), { createdAt: "soon" });
    expect((await post(t, body)).status).toBe(200);
    expect(await users(t)).toHaveLength(0);
  });

  test("a row stored with a bad date (by an older version) is not frozen", async () => {
    const t = convexTest(schema, modules);
    await t.run((ctx) =>
      ctx.db.insert("users", {
        workosId: "user_1", email: "ada@example.com", emailVerified: true, firstName: "Frozen",
        lastName: null, profilePictureUrl: null, updatedAt: "not a date",
      }),
    );
    await send(t, "user.updated", userData("2026-01-02T00:00:00.000Z", { first_name: "Thawed" }));
    expect((await users(t))[0].firstName).toBe("Thawed");
  });
});

describe("event ids", () => {
  test("a second delivery of the same event is recognised by its id", async () => {
    const t = convexTest(schema, modules);
    const body = event("user.created", userData("2026-01-01T00:00:00.000Z"), { id: "event_once" });
    const first = await post(t, body);
    expect([first.status, await first.text()]).toEqual([200, "OK"]);
    const second = await post(t, body);
    expect([second.status, await second.text()]).toEqual([200, "Duplicate"]);
    expect(await users(t)).toHaveLength(1);
  });

  test("ids are forgotten after 30 days", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = convexTest(schema, modules);
    vi.setSystemTime(new Date("2026-01-01T00:00:00.000Z"));
    await t.run((ctx) => ctx.db.insert("workosEvents", { eventId: "event_old" }));
    vi.setSystemTime(new Date("2026-01-25T00:00:00.000Z"));
    await t.run((ctx) => ctx.db.insert("workosEvents", { eventId: "event_recent" }));
    vi.setSystemTime(new Date("2026-02-05T00:00:00.000Z"));
    await t.mutation(internal.workos.sync.pruneEventIds, {});
    const left = await t.run((ctx) => ctx.db.query("workosEvents").collect());
    expect(left.map((e) => e.eventId)).toEqual(["event_recent"]);
  });
});

describe("deletes cascade to memberships", () => {
  /** user_1 in org_1 and org_2, user_2 in org_1. */
  async function twoOrganizations(t: ReturnType<typeof convexTest>) {
    const at = "2026-01-01T00:00:00.000Z";
    await send(t, "user.created", userData(at));
    await send(t, "user.created", userData(at, { id: "user_2", email: "grace@example.com" }));
    await send(t, "organization.created", organizationData(at));
    await send(t, "organization.created", organizationData(at, { id: "org_2", name: "Globex" }));
    await send(t, "organization_membership.created", membershipData(at));
    await send(t, "organization_membership.created", membershipData(at, { id: "om_2", organization_id: "org_2" }));
    await send(t, "organization_membership.created", membershipData(at, { id: "om_3", user_id: "user_2" }));
  }
  const ids = async (t: ReturnType<typeof convexTest>) => (await memberships(t)).map((m) => m.workosId).sort();

  test("user.deleted removes the user's memberships; late ones do not come back", async () => {
    const t = convexTest(schema, modules);
    await twoOrganizations(t);
    await send(t, "user.deleted", userData("2026-01-03T00:00:00.000Z"));
    expect(await ids(t)).toEqual(["om_3"]);
    // The membership's own update, sent before the delete but delivered after it.
    await send(t, "organization_membership.updated", membershipData("2026-01-02T00:00:00.000Z", { role: { slug: "admin" } }));
    await send(t, "organization_membership.created", membershipData("2026-01-02T00:00:00.000Z", { id: "om_4", organization_id: "org_3" }));
    expect(await ids(t)).toEqual(["om_3"]);
    const alice = t.withIdentity({ subject: "user_1", issuer: "https://api.workos.com/" });
    expect(await alice.query(api.users.myMemberships, {})).toEqual([]);
  });

  test("organization.deleted removes the organization's memberships", async () => {
    const t = convexTest(schema, modules);
    await twoOrganizations(t);
    await send(t, "organization.deleted", organizationData("2026-01-03T00:00:00.000Z"));
    expect(await ids(t)).toEqual(["om_2"]);
    await send(t, "organization_membership.created", membershipData("2026-01-02T00:00:00.000Z", { id: "om_5", user_id: "user_3" }));
    expect(await ids(t)).toEqual(["om_2"]);
    const grace = t.withIdentity({ subject: "user_2", issuer: "https://api.workos.com/" });
    expect(await grace.query(api.users.myMemberships, {})).toEqual([]);
  });

  test("a large organization's memberships go in batches", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const t = convexTest(schema, modules);
    await t.run(async (ctx) => {
      for (let n = 0; n < 1201; n++) {
        await ctx.db.insert("memberships", {
          workosId: `om_${n}`, workosUserId: `user_${n}`, workosOrganizationId: "org_big",
          role: "member", status: "active", updatedAt: "2026-01-01T00:00:00.000Z",
        });
      }
    });
    await send(t, "organization.deleted", organizationData("2026-01-03T00:00:00.000Z", { id: "org_big" }));
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await memberships(t)).toHaveLength(0);
  });
});

describe("invitation events", () => {
  const invitation = (state: string) => ({
    object: "invitation", id: "invitation_1", email: "new@example.com", state,
    accepted_at: state === "accepted" ? "2026-01-02T00:00:00.000Z" : null,
    revoked_at: state === "revoked" ? "2026-01-02T00:00:00.000Z" : null,
    expires_at: "2026-01-08T00:00:00.000Z", organization_id: "org_1", inviter_user_id: "user_1",
    accepted_user_id: state === "accepted" ? "user_2" : null,
    created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-02T00:00:00.000Z",
  });

  test("are acknowledged with 200 and change nothing", async () => {
    const t = convexTest(schema, modules);
    for (const [type, state] of [["invitation.created", "pending"], ["invitation.accepted", "accepted"], ["invitation.revoked", "revoked"]]) {
      const response = await post(t, event(type, invitation(state)));
      expect(response.status, type).toBe(200);
    }
    // Even one the SDK cannot read: a retry would not help.
    expect((await post(t, event("invitation.created", undefined))).status).toBe(200);
    expect(await users(t)).toHaveLength(0);
    expect(await memberships(t)).toHaveLength(0);
  });
});

describe("membership status", () => {
  test("a membership deactivated or still pending grants no access", async () => {
    const t = convexTest(schema, modules);
    const ada = t.withIdentity({ subject: "user_1", issuer: "https://api.workos.com/", org_id: "org_1", role: "admin" });
    await send(t, "organization_membership.created", membershipData("2026-01-01T00:00:00.000Z", { status: "pending", role: { slug: "admin" } }));
    expect(await ada.query(api.users.myMemberships, {})).toEqual([]);
    await send(t, "organization_membership.updated", membershipData("2026-01-02T00:00:00.000Z", { status: "active", role: { slug: "admin" } }));
    expect(await ada.query(api.users.myMemberships, {})).toMatchObject([{ workosId: "om_1", status: "active" }]);
    expect(await ada.query(api.users.organizationMembers, {})).toHaveLength(1);

    await send(t, "organization_membership.updated", membershipData("2026-01-03T00:00:00.000Z", { status: "inactive", role: { slug: "admin" } }));
    expect(await ada.query(api.users.myMemberships, {})).toEqual([]);
    // The token still names the organization until it expires; the synced status wins.
    await expect(ada.query(api.users.organizationMembers, {})).rejects.toThrow(/FORBIDDEN/);
    expect(await memberships(t)).toMatchObject([{ workosId: "om_1", status: "inactive" }]);
  });
});
