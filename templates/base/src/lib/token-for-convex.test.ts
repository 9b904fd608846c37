import { describe, expect, test } from "vitest";
import { tokenForConvex, type AuthKitTokens } from "./token-for-convex";

/** AuthKit's token functions, counting which one Convex's request reached. */
function authkit(current: string | undefined, fresh: string | undefined | Error) {
  const calls = { getAccessToken: 0, refresh: 0 };
  const tokens: AuthKitTokens = {
    getAccessToken: async () => {
      calls.getAccessToken += 1;
      return current;
    },
    refresh: async () => {
      calls.refresh += 1;
      if (fresh instanceof Error) throw fresh;
      return fresh;
    },
  };
  return { tokens, calls };
}

describe("tokenForConvex (Convex's fetchAccessToken)", () => {
  test("a forced refresh fetches a new token from WorkOS, never the current one", async () => {
    const { tokens, calls } = authkit("old-token", "new-token");
    expect(await tokenForConvex(true, tokens)).toBe("new-token");
    expect(calls).toEqual({ getAccessToken: 0, refresh: 1 });
  });

  test("an ordinary request gets the current token, with no refresh", async () => {
    const { tokens, calls } = authkit("old-token", "new-token");
    expect(await tokenForConvex(false, tokens)).toBe("old-token");
    expect(calls).toEqual({ getAccessToken: 1, refresh: 0 });
  });

  test("a failed or empty refresh gives null (signed out for Convex), not an error", async () => {
    expect(await tokenForConvex(true, authkit("old-token", new Error("invalid_grant")).tokens)).toBeNull();
    expect(await tokenForConvex(true, authkit("old-token", undefined).tokens)).toBeNull();
    expect(await tokenForConvex(false, authkit(undefined, "new-token").tokens)).toBeNull();
  });
});
