import { describe, expect, test } from "vitest";
import { flowCookieName, verifierFor } from "./oauth-state";

const stored = JSON.stringify({ state: "state-of-tab-one", codeVerifier: "verifier-1" });

describe("verifierFor (the OAuth state check)", () => {
  test("gives the verifier back when the callback's state is the stored one", () => {
    expect(verifierFor(stored, "state-of-tab-one")).toBe("verifier-1");
  });

  test("refuses a wrong state, a missing state, a missing or broken cookie", () => {
    expect(verifierFor(stored, "state-of-tab-two")).toBeNull();
    expect(verifierFor(stored, "")).toBeNull();
    expect(verifierFor(stored, null)).toBeNull();
    expect(verifierFor(undefined, "state-of-tab-one")).toBeNull();
    expect(verifierFor("not json", "state-of-tab-one")).toBeNull();
    expect(verifierFor(JSON.stringify({ state: "state-of-tab-one" }), "state-of-tab-one")).toBeNull();
  });
});

describe("flowCookieName", () => {
  test("one cookie per flow: two states, two names; the same state, the same name", async () => {
    const one = await flowCookieName("state-of-tab-one");
    expect(one).toMatch(/^oauth-flow-[0-9a-f]{16}$/);
    expect(await flowCookieName("state-of-tab-two")).not.toBe(one);
    expect(await flowCookieName("state-of-tab-one")).toBe(one);
  });

  test("whatever a callback URL carries, the name stays a plain cookie name", async () => {
    expect(await flowCookieName("; Path=/; x=\n")).toMatch(/^oauth-flow-[0-9a-f]{16}$/);
  });
});
