import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import schema from "../schema";
import { modules } from "../test.setup";

const SECRET = "whsec_test_secret";

/** Signs a body as WorkOS does: HMAC-SHA256 of "<t>.<body>", t in milliseconds. */
async function sign(body: string, timestamp = Date.now()) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}.${body}`));
  return `t=${timestamp}, v1=${[...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

let counter = 0;
/** Delivers one WorkOS invitation event (the API's snake_case shape) to the app's webhook. */
async function deliver(t: ReturnType<typeof convexTest>, type: string, data: Record<string, unknown>, id?: string) {
  const body = JSON.stringify({ id: id ?? `event_${String(++counter).padStart(8, "0")}`, event: type, data, created_at: "2026-01-01T00:00:00.000Z" });
  return await t.fetch("/workos/webhook", { method: "POST", headers: { "Content-Type": "application/json", "WorkOS-Signature": await sign(body) }, body });
}

function invitation(state: string, updatedAt: string, overrides: Record<string, unknown> = {}) {
  return {
    object: "invitation", id: "invitation_1", email: "new@example.com", state,
    accepted_at: state === "accepted" ? updatedAt : null, revoked_at: state === "revoked" ? updatedAt : null,
    expires_at: "2026-01-08T00:00:00.000Z", organization_id: "org_a", inviter_user_id: "user_alice",
    accepted_user_id: state === "accepted" ? "user_new" : null, role_slug: "viewer",
    created_at: "2026-01-01T00:00:00.000Z", updated_at: updatedAt, ...overrides,
  };
}

const issuer = "https://api.workos.com/user_management/client_test";
const admin = { subject: "user_alice", issuer, org_id: "org_a", role: "admin", roles: ["admin"], permissions: ["projects:read", "projects:write", "members:invite"] };
const member = { subject: "user_bob", issuer, org_id: "org_a", role: "member", roles: ["member"], permissions: ["projects:read", "projects:write"] };

async function withMembers() {
  const t = convexTest(schema, modules);
  await t.run(async (ctx) => {
    for (const [id, user, role] of [["om_alice", "user_alice", "admin"], ["om_bob", "user_bob", "member"]]) {
      await ctx.db.insert("memberships", { workosId: id, workosUserId: user, workosOrganizationId: "org_a", role, roles: [role], status: "active", updatedAt: "2026-01-01T00:00:00.000Z" });
    }
  });
  return t;
}
const stored = (t: ReturnType<typeof convexTest>) => t.run(async (ctx) => await ctx.db.query("invitations").collect());

beforeEach(() => {
  vi.stubEnv("WORKOS_WEBHOOK_SECRET", SECRET);
  vi.stubEnv("WORKOS_API_KEY", "sk_test_key");
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe("invitation events", () => {
  test("are kept: an admin sees the pending ones; accepted or revoked ones leave the list", async () => {
    const t = await withMembers();
    expect((await deliver(t, "invitation.created", invitation("pending", "2026-01-01T00:00:00.000Z"))).status).toBe(200);
    expect(await t.withIdentity(admin).query(api.organizations.invitations.pending, {})).toEqual([
      { workosId: "invitation_1", email: "new@example.com", roleSlug: "viewer", expiresAt: "2026-01-08T00:00:00.000Z" },
    ]);
    await deliver(t, "invitation.accepted", invitation("accepted", "2026-01-02T00:00:00.000Z"));
    expect(await t.withIdentity(admin).query(api.organizations.invitations.pending, {})).toEqual([]);
    expect((await stored(t)).map((i) => i.state)).toEqual(["accepted"]);
  });

  test("a late or repeated delivery changes nothing", async () => {
    const t = await withMembers();
    await deliver(t, "invitation.revoked", invitation("revoked", "2026-01-03T00:00:00.000Z"), "event_2");
    // The older "created" arrives after the revoke: ignored.
    await deliver(t, "invitation.created", invitation("pending", "2026-01-01T00:00:00.000Z"), "event_1");
    const again = await deliver(t, "invitation.revoked", invitation("revoked", "2026-01-03T00:00:00.000Z"), "event_2");
    expect(await again.text()).toBe("Duplicate");
    expect((await stored(t)).map((i) => i.state)).toEqual(["revoked"]);
  });

  test("only members with members:invite see them", async () => {
    const t = await withMembers();
    await deliver(t, "invitation.created", invitation("pending", "2026-01-01T00:00:00.000Z"));
    await expect(t.withIdentity(member).query(api.organizations.invitations.pending, {})).rejects.toThrow(/members:invite/);
  });

  test("one without the fields it needs is acknowledged and stores nothing", async () => {
    const t = await withMembers();
    const res = await deliver(t, "invitation.created", invitation("pending", "2026-01-01T00:00:00.000Z", { email: undefined }));
    expect(res.status).toBe(200);
    expect(await stored(t)).toEqual([]);
  });

  test("deleting the organization removes its invitations (scheduled cleanup) and later ones are not stored", async () => {
    vi.useFakeTimers();
    const t = await withMembers();
    await deliver(t, "invitation.created", invitation("pending", "2026-01-01T00:00:00.000Z"));
    expect(await stored(t)).toHaveLength(1);
    await t.mutation(internal.workos.sync.applyEvent, { event: { id: "event_org_gone", createdAt: "2026-01-05T00:00:00.000Z" }, change: { delete: "organizations", workosId: "org_a" } });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await stored(t)).toEqual([]);
    await deliver(t, "invitation.created", invitation("pending", "2026-01-06T00:00:00.000Z", { id: "invitation_2" }));
    expect(await stored(t)).toEqual([]);
  });
});
