import rateLimiter from "@convex-dev/rate-limiter/test";
import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import schema from "./schema";
import { modules } from "./test.setup";

// The component's tables and functions, registered under the name convex.config.ts gives it.
function backend() {
  const t = convexTest(schema, modules);
  rateLimiter.register(t, "rateLimiter");
  return t;
}
const take = (t: ReturnType<typeof backend>, email: string, ip: string) =>
  t.mutation(api.signInThrottle.takeMagicCodeAttempt, { email, ip });

describe("signInThrottle.takeMagicCodeAttempt", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("three codes for one address, then 'try again' until the next one is due", async () => {
    const t = backend();
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
      expect(await take(t, "ada@example.com", ip)).toEqual({ ok: true });
    }
    // Other IPs do not help: the address is what is limited. The case does not matter either.
    const refused = await take(t, "ADA@example.com", "203.0.113.4");
    expect(refused.ok).toBe(false);
    // One code per ten minutes after the burst.
    const wait = refused.ok ? 0 : refused.retryAfterSeconds;
    expect(wait).toBeGreaterThan(590);
    expect(wait).toBeLessThanOrEqual(600);
    // Another address is not affected.
    expect(await take(t, "bob@example.com", "203.0.113.4")).toEqual({ ok: true });

    // Just before the wait is over: still refused; once over: allowed again.
    vi.advanceTimersByTime((wait - 5) * 1000);
    expect((await take(t, "ada@example.com", "203.0.113.5")).ok).toBe(false);
    vi.advanceTimersByTime(5 * 1000);
    expect(await take(t, "ada@example.com", "203.0.113.5")).toEqual({ ok: true });
  });

  test("ten codes from one IP, whatever the addresses, then 'try again'", async () => {
    const t = backend();
    for (let i = 0; i < 10; i++) {
      expect(await take(t, `user${i}@example.com`, "198.51.100.7")).toEqual({ ok: true });
    }
    const refused = await take(t, "user10@example.com", "198.51.100.7");
    // Thirty an hour after the burst: one every two minutes.
    expect(refused).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThan(110);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeLessThanOrEqual(120);
    // The refused address kept its own allowance: from another IP it gets its code.
    expect(await take(t, "user10@example.com", "198.51.100.8")).toEqual({ ok: true });
  });
});
