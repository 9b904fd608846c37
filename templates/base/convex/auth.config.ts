import type { AuthConfig } from "convex/server";

// Tells Convex which JSON Web Tokens to trust: the access tokens WorkOS AuthKit mints.
//
// WorkOS environments mint one of two issuers, depending on when they were created:
//   - older ones:  iss = "https://api.workos.com/"                          (with aud = client ID)
//   - newer ones:  iss = "https://api.workos.com/user_management/<clientId>" (no aud)
// Both are listed, so either kind of environment works. Only the older issuer carries an
// `aud` claim, so only that provider sets `applicationID` (Convex checks `aud` against it).
//
// WORKOS_CLIENT_ID must be set on the Convex deployment (`npx convex env set`), otherwise
// pushing fails with "AuthConfigMissingEnvironmentVariable".
const clientId = process.env.WORKOS_CLIENT_ID;

// WorkOS publishes its signing keys here; Convex fetches them directly (no proxy route).
const jwks = `https://api.workos.com/sso/jwks/${clientId}`;

const authConfig = {
  providers: [
    {
      type: "customJwt",
      issuer: "https://api.workos.com/",
      algorithm: "RS256",
      jwks,
      applicationID: clientId,
    },
    {
      type: "customJwt",
      issuer: `https://api.workos.com/user_management/${clientId}`,
      algorithm: "RS256",
      jwks,
    },
  ],
} satisfies AuthConfig;

export default authConfig;
