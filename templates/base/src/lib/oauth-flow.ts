// A sign-in through WorkOS's authorization endpoint that the app starts itself (Google,
// SSO), instead of AuthKit's hosted page. It follows OAuth's rules:
//   - `state` ties the callback to the browser that started the flow (CSRF protection);
//   - PKCE: the code verifier never leaves the server and this browser's cookie, so a
//     stolen authorization code is useless on its own.
// Both live in a short-lived, httpOnly cookie readable only by /callback/oauth, one per
// flow (named after its state: see oauth-state.ts), so flows in two tabs both complete.
import { getWorkOS } from "@workos-inc/authkit-nextjs";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { flowCookieName, verifierFor } from "./oauth-state";

const COOKIE_PATH = "/callback/oauth";

/** /callback/oauth on the same origin as NEXT_PUBLIC_WORKOS_REDIRECT_URI. Add it to WorkOS's redirect URIs. */
export function oauthRedirectUri() {
  const base = process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI ?? "http://localhost:3000/callback";
  return new URL(COOKIE_PATH, base).toString();
}

export type OAuthTarget = { provider: "GoogleOAuth" } | { organizationId: string };

/** Call from a server action: remembers state + verifier, then redirects to WorkOS. */
export async function startOAuthFlow(target: OAuthTarget): Promise<never> {
  const redirectUri = oauthRedirectUri();
  const { url, state, codeVerifier } =
    await getWorkOS().userManagement.getAuthorizationUrlWithPKCE({
      ...target,
      clientId: process.env.WORKOS_CLIENT_ID!,
      redirectUri,
    });
  (await cookies()).set(await flowCookieName(state), JSON.stringify({ state, codeVerifier }), {
    httpOnly: true,
    secure: redirectUri.startsWith("https:"),
    sameSite: "lax",
    path: COOKIE_PATH,
    maxAge: 10 * 60,
  });
  redirect(url);
}

/** Reads and deletes this flow's cookie; returns the code verifier when `state` matches. */
export async function takeOAuthFlow(state: string | null): Promise<string | null> {
  if (!state) return null;
  const jar = await cookies();
  const name = await flowCookieName(state);
  const raw = jar.get(name)?.value;
  // Used once: a replayed callback finds nothing.
  if (raw) jar.delete({ name, path: COOKIE_PATH });
  return verifierFor(raw, state);
}
