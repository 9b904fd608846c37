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

// Optional: a WorkOS custom authentication domain (e.g. auth.example.com, set with
// `npx convex env set WORKOS_AUTH_DOMAIN auth.example.com`). Tokens issued through it carry
// iss = "https://<domain>/user_management/<clientId>", and that host serves the keys.
// Convex refuses a push whose auth config reads a variable that is not set, unless the read
// is caught: so without the variable, this file trusts the two issuers above only.
function optionalEnv(name: string): string | undefined {
  try {
    return process.env[name] || undefined;
  } catch {
    return undefined;
  }
}
const authDomain = optionalEnv("WORKOS_AUTH_DOMAIN");

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
    ...(authDomain
      ? [
          {
            type: "customJwt" as const,
            issuer: `https://${authDomain}/user_management/${clientId}`,
            algorithm: "RS256" as const,
            jwks: `https://${authDomain}/sso/jwks/${clientId}`,
          },
        ]
      : []),
  ],
} satisfies AuthConfig;

export default authConfig;
