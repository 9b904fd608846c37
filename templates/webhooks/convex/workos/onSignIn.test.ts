import rateLimiter from "@convex-dev/rate-limiter/test";
import { convexTest } from "convex-test";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { api } from "../_generated/api";
import schema from "../schema";
import { modules } from "../test.setup";

function backend() {
  const t = convexTest(schema, modules);
  rateLimiter.register(t, "rateLimiter");
  return t;
}
const scheduled = (t: ReturnType<typeof backend>) =>
  t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect());

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("a signed-in user without a synced row starts one catch-up, not one per call", async () => {
  const t = backend();
  const ada = t.withIdentity({ subject: "user_1" });
  expect(await ada.mutation(api.workos.onSignIn.syncMe, {})).toBe("started");
  expect(await t.withIdentity({ subject: "user_2" }).mutation(api.workos.onSignIn.syncMe, {})).toBe(
    "recently started",
  );
  const jobs = await scheduled(t);
  expect(jobs.map((job) => job.name)).toEqual(["workos/catchUp:run"]);

  vi.advanceTimersByTime(21_000);
  expect(await ada.mutation(api.workos.onSignIn.syncMe, {})).toBe("started");
  expect(await scheduled(t)).toHaveLength(2);
});

test("a user whose row is synced starts nothing", async () => {
  const t = backend();
  await t.run((ctx) =>
    ctx.db.insert("users", {
      workosId: "user_1",
      email: "ada@example.com",
      emailVerified: true,
      firstName: "Ada",
      lastName: null,
      profilePictureUrl: null,
      updatedAt: "2026-01-01T00:00:00.000Z",
    }),
  );
  expect(await t.withIdentity({ subject: "user_1" }).mutation(api.workos.onSignIn.syncMe, {})).toBe("synced");
  expect(await scheduled(t)).toEqual([]);
});

test("refuses a caller who is not signed in", async () => {
  const t = backend();
  await expect(t.mutation(api.workos.onSignIn.syncMe, {})).rejects.toThrow(/UNAUTHENTICATED/);
  expect(await scheduled(t)).toEqual([]);
});
