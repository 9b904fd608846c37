/**
 * Unclaimed ("one-shot") environments, as the official `workos` CLI (npm `workos`, 0.14:
 * `lib/unclaimed-env-api.ts`, `commands/claim.ts`) makes and claims them, with no API key:
 * - `POST /x/one-shot-environments` → `{client_id, api_key, claim_token, authkit_domain}` (a real
 *   environment here: the key and client ID work on every other route);
 * - `POST /x/one-shot-environments/claim-nonces` `{client_id, claim_token}` → `{nonce}` while unclaimed,
 *   409 once claimed, 401 for a wrong token, 404 for an unknown client ID.
 * The claim itself happens in the WorkOS dashboard (`/claim?nonce=…`, signed in): `claim(nonce)` stands
 * for the user finishing it there. The exact bodies of the error answers are unconfirmed (UNCONFIRMED.md).
 */
import type { AddedEnvironment } from './environments.js';
import { ApiError } from './errors.js';
import { newId, randomToken } from './ids.js';

export interface OneShotEnvironment {
  env: AddedEnvironment;
  claimToken: string;
  authkitDomain: string;
  nonces: string[];
  claimed: boolean;
}

export interface OneShot {
  made: OneShotEnvironment[];
  /** The user finishes the claim in the dashboard with this nonce; false if no environment issued it. */
  claim(nonce: string): boolean;
}

export function oneShotState(): OneShot {
  const made: OneShotEnvironment[] = [];
  return {
    made,
    claim(nonce) {
      const one = made.find((m) => m.nonces.includes(nonce));
      if (!one) return false;
      one.claimed = true;
      return true;
    },
  };
}

/** The answer to a one-shot route, or undefined when the path is not one. */
export function oneShotRoutes(
  oneShot: OneShot,
  addEnvironment: () => AddedEnvironment,
  method: string,
  path: string,
  body: Record<string, unknown>,
): { status: number; body: unknown } | undefined {
  if (method === 'POST' && path === '/x/one-shot-environments') {
    const env = addEnvironment();
    const one: OneShotEnvironment = { env, claimToken: `ct_${randomToken(24)}`, authkitDomain: `${newId('unclaimed').toLowerCase()}.authkit.app`, nonces: [], claimed: false };
    oneShot.made.push(one);
    return { status: 201, body: { client_id: env.clientId, api_key: env.apiKey, claim_token: one.claimToken, authkit_domain: one.authkitDomain } };
  }
  if (method === 'POST' && path === '/x/one-shot-environments/claim-nonces') {
    const one = oneShot.made.find((m) => m.env.clientId === body.client_id);
    if (!one) throw new ApiError(404, { message: 'Environment not found.', code: 'entity_not_found' });
    if (one.claimed) throw new ApiError(409, { message: 'Environment already claimed.', code: 'environment_already_claimed' });
    if (body.claim_token !== one.claimToken) throw new ApiError(401, { message: 'Invalid claim token.', code: 'invalid_claim_token' });
    const nonce = randomToken(16);
    one.nonces.push(nonce);
    return { status: 201, body: { nonce } };
  }
  return undefined;
}
