// The checks behind /callback/oauth, as plain functions (tested in oauth-state.test.ts).
//
// Each flow has a cookie of its own, named after its `state`: two sign-ins started in two
// tabs each find their own verifier instead of the second overwriting the first. The name
// is a hash, so whatever `state` a callback URL carries, it only ever picks a cookie name.

export const FLOW_COOKIE_PREFIX = "oauth-flow-";

/** The flow cookie's name for this state: the prefix and 16 hex digits of its SHA-256. */
export async function flowCookieName(state: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(state));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return FLOW_COOKIE_PREFIX + hex.slice(0, 16);
}

/** The code verifier stored for this flow, only when the stored state is exactly the callback's. */
export function verifierFor(cookieValue: string | undefined, state: string | null): string | null {
  if (!cookieValue || !state) return null;
  try {
    const flow = JSON.parse(cookieValue) as { state?: unknown; codeVerifier?: unknown };
    if (flow.state !== state || typeof flow.codeVerifier !== "string") return null;
    return flow.codeVerifier;
  } catch {
    return null;
  }
}
