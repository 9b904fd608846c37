/**
 * Unclaimed WorkOS environments, made and claimed the way the official `workos` CLI does (npm `workos`
 * 0.14, `lib/unclaimed-env-api`): no account and no key to make one; a claim token proves who made it,
 * and the user claims it in the WorkOS dashboard with a one-time nonce. Used by --no-account
 * (steps/no-account/unclaimed-workos.ts) and the `claim` command (claim/index.ts).
 */
import { addSecret } from '../secrets.js';
import { apiHostFromEnv } from './workos.js';

export interface UnclaimedEnvironment {
  clientId: string;
  apiKey: string;
  claimToken: string;
  authkitDomain: string;
}

/** WorkOS refused or could not be reached; `status` when it answered. */
export class UnclaimedEnvironmentError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

async function post(route: string, body: unknown, timeoutMs: number): Promise<{ status: number; data: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(`${apiHostFromEnv().origin}${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(Math.min(timeoutMs, 30_000)),
    });
  } catch (error) {
    throw new UnclaimedEnvironmentError(`could not reach WorkOS: ${(error as Error).message}`);
  }
  const text = await response.text();
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the status says enough.
  }
  return { status: response.status, data };
}

/** The field in either spelling (the workos CLI accepts camelCase and snake_case answers). */
const field = (data: Record<string, unknown>, camel: string, snake: string) => {
  const v = data[camel] ?? data[snake];
  return typeof v === 'string' && v ? v : undefined;
};

/** `POST /x/one-shot-environments`: a new unclaimed environment. The key and claim token become secrets at once. */
export async function createUnclaimedEnvironment(timeoutMs: number): Promise<UnclaimedEnvironment> {
  const { status, data } = await post('/x/one-shot-environments', undefined, timeoutMs);
  if (status === 429) throw new UnclaimedEnvironmentError('WorkOS is busy (rate limited): wait a moment and try again.', 429);
  if (status < 200 || status >= 300) throw new UnclaimedEnvironmentError(`WorkOS answered ${status} when asked for an unclaimed environment.`, status);
  const apiKey = field(data, 'apiKey', 'api_key');
  const claimToken = field(data, 'claimToken', 'claim_token');
  if (apiKey) addSecret(apiKey);
  if (claimToken) addSecret(claimToken);
  const clientId = field(data, 'clientId', 'client_id');
  const authkitDomain = field(data, 'authkitDomain', 'authkit_domain');
  if (!clientId || !apiKey || !claimToken || !authkitDomain) throw new UnclaimedEnvironmentError('WorkOS answered without the environment\'s keys or claim token.');
  return { clientId, apiKey, claimToken, authkitDomain };
}

/** Where the user claims the environment (signed in to WorkOS, or signing up there). */
export const claimUrl = (nonce: string) => `https://dashboard.workos.com/claim?nonce=${encodeURIComponent(nonce)}`;

/**
 * `POST /x/one-shot-environments/claim-nonces`: a nonce for the claim URL while the environment is
 * unclaimed; `claimed` once it is (409, or 401: WorkOS drops the claim token when the claim is done).
 */
export async function claimNonce(clientId: string, claimToken: string, timeoutMs: number): Promise<{ claimed: true } | { claimed: false; nonce: string }> {
  const { status, data } = await post('/x/one-shot-environments/claim-nonces', { client_id: clientId, claim_token: claimToken }, timeoutMs);
  if (status === 409 || status === 401) return { claimed: true };
  if (status === 404) throw new UnclaimedEnvironmentError(`WorkOS has no unclaimed environment with the client ID ${clientId}.`, 404);
  if (status === 429) throw new UnclaimedEnvironmentError('WorkOS is busy (rate limited): wait a moment and try again.', 429);
  if (status < 200 || status >= 300) throw new UnclaimedEnvironmentError(`WorkOS answered ${status} when asked for a claim link.`, status);
  if (data.alreadyClaimed === true || data.already_claimed === true) return { claimed: true };
  const nonce = field(data, 'nonce', 'nonce');
  if (!nonce) throw new UnclaimedEnvironmentError('WorkOS answered without a claim nonce.');
  return { claimed: false, nonce };
}
