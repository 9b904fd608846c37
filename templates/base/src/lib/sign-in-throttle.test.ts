import { describe, expect, test } from "vitest";
import { clientIp, tryAgainMessage } from "./sign-in-throttle";

describe("clientIp", () => {
  test("takes the client, the first of x-forwarded-for", () => {
    const h = new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1", "x-real-ip": "10.0.0.2" });
    expect(clientIp(h)).toBe("203.0.113.9");
  });

  test("falls back to x-real-ip, then to one shared key", () => {
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.1" }))).toBe("198.51.100.1");
    expect(clientIp(new Headers())).toBe("unknown");
  });
});

test("the refusal says when to try again", () => {
  expect(tryAgainMessage(42)).toMatch(/try again in 42 s/i);
});
