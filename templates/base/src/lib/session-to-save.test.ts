import { expect, test } from "vitest";
import { sessionToSave } from "./session-to-save";

test("the session cookie keeps what handleAuth keeps, and no OAuth provider tokens", () => {
  const auth = {
    accessToken: "eyJ.access",
    refreshToken: "refresh_1",
    user: { id: "user_1", email: "ada@example.com" },
    impersonator: undefined,
    authenticationMethod: "GoogleOAuth",
    organizationId: "org_1",
    sealedSession: "sealed",
    oauthTokens: { accessToken: "ya29.google", refreshToken: "1//google", expiresAt: 1, scopes: [] },
  };
  const saved = sessionToSave(auth);
  expect(Object.keys(saved).sort()).toEqual(
    ["accessToken", "authenticationMethod", "impersonator", "refreshToken", "user"].sort(),
  );
  expect(JSON.stringify(saved)).not.toContain("google");
  expect(saved).toMatchObject({ accessToken: "eyJ.access", refreshToken: "refresh_1", user: auth.user });
});
