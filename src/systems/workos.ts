/**
 * The WorkOS API, through the official SDK. One place points it elsewhere: the same
 * WORKOS_API_HOSTNAME / WORKOS_API_PORT / WORKOS_API_HTTPS variables that authkit-nextjs reads.
 */
import type { WorkOS as WorkOSClient } from '@workos-inc/node';
import type { JSONWebKeySet } from 'jose';
import { UsageError } from '../errors.js';
import { addSecret } from '../secrets.js';

/** The events the generated webhook handler syncs. */
export const WEBHOOK_EVENTS = [
  'user.created',
  'user.updated',
  'user.deleted',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organization_membership.created',
  'organization_membership.updated',
  'organization_membership.deleted',
] as const;

export const WEBHOOK_PATH = '/workos/webhook';

export interface WorkOSApi {
  client: WorkOSClient;
  /** Origin of the API, for messages. */
  origin: string;
  /** How long one request may wait for an answer. */
  timeoutMs: number;
}

export function apiHostFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const hostname = env.WORKOS_API_HOSTNAME || 'api.workos.com';
  const https = env.WORKOS_API_HTTPS ? env.WORKOS_API_HTTPS !== 'false' : true;
  const port = env.WORKOS_API_PORT ? Number(env.WORKOS_API_PORT) : undefined;
  const origin = `${https ? 'https' : 'http'}://${hostname}${port ? `:${port}` : ''}`;
  return { hostname, https, port, origin };
}

/** `timeoutMs`: the longest wait for WorkOS; each request waits at most 30 s of it (the SDK retries). */
export async function connectWorkOS(apiKey: string, clientId: string, timeoutMs = 30_000): Promise<WorkOSApi> {
  return connectWorkOSWith(apiKey, clientId, process.env, { timeoutMs: Math.min(timeoutMs, 30_000) });
}

/** connectWorkOS with the API host taken from `env` (e.g. a project's .env.local under process.env). */
export async function connectWorkOSWith(
  apiKey: string,
  clientId: string,
  env: NodeJS.ProcessEnv,
  opts: { maxRetries?: number; timeoutMs?: number } = {},
): Promise<WorkOSApi> {
  const { WorkOS } = await import('@workos-inc/node');
  const host = apiHostFromEnv(env);
  const client = new WorkOS(apiKey, {
    clientId,
    apiHostname: host.hostname,
    https: host.https,
    port: host.port,
    // The SDK already backs off on 408/429/5xx (honouring Retry-After).
    maxRetries: opts.maxRetries ?? 3,
    timeout: opts.timeoutMs ?? 30_000,
  });
  return { client, origin: host.origin, timeoutMs: opts.timeoutMs ?? 30_000 };
}

/** The public API origin that auth.config's issuers and JWKS URLs name. */
export const WORKOS_API_ORIGIN = 'https://api.workos.com';

/** Where WorkOS publishes the signing keys of a client ID's access tokens. */
export function workosJwksUrl(clientId: string, origin = WORKOS_API_ORIGIN): string {
  return `${origin}/sso/jwks/${clientId}`;
}

/**
 * The URL to fetch for a JWKS URL that auth.config names. When WORKOS_API_HOSTNAME/PORT/HTTPS point
 * the app (authkit-nextjs) and the SDK at another host, that host mints the tokens, so its keys are the
 * ones to check: same path, that origin. The same goes for a custom authentication domain's URLs. Other
 * URLs (not api.workos.com) are fetched as they are.
 */
export function reachableWorkosUrl(url: string, env: NodeJS.ProcessEnv = process.env, authDomain?: string): string {
  const host = apiHostFromEnv(env);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  // A custom authentication domain is WorkOS too (the app reaches it through WORKOS_API_HOSTNAME).
  const workosOrigins = [WORKOS_API_ORIGIN, ...(authDomain ? [`https://${authDomain}`] : [])];
  if (!workosOrigins.includes(parsed.origin) || host.origin === WORKOS_API_ORIGIN || host.origin === parsed.origin) return url;
  return host.origin + parsed.pathname + parsed.search;
}

export class JwksError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A JWKS document; any failure (unreachable, an error status, not a key set) is a JwksError. */
export async function fetchJwks(url: string, timeoutMs = 15_000): Promise<JSONWebKeySet> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new JwksError(`could not reach ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new JwksError(`${url} answered ${response.status}`, response.status);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new JwksError(`${url} did not answer JSON`);
  }
  const keys = (body as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new JwksError(`${url} answered JSON without a keys array`);
  return body as JSONWebKeySet;
}

/** The hosted sign-in URL for a redirect URI (what authkit-nextjs's sign-in link opens). */
export function authorizeUrl(origin: string, clientId: string, redirectUri: string): string {
  const params = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', provider: 'authkit' });
  return `${origin}/user_management/authorize?${params}`;
}

/** WorkOS's answer to the hosted sign-in URL for a redirect URI, redirects not followed. */
export async function tryAuthorize(api: WorkOSApi, clientId: string, redirectUri: string, timeoutMs = 15_000) {
  const response = await fetch(authorizeUrl(api.origin, clientId, redirectUri), { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

/** A cheap authenticated call: rejects (see classify) when WorkOS refuses the key. */
export async function checkApiKey(api: WorkOSApi): Promise<void> {
  await api.client.webhooks.listWebhookEndpoints({ limit: 1 });
}

/** Every webhook endpoint of the environment. */
export async function listWebhookEndpoints(api: WorkOSApi) {
  return (await api.client.webhooks.listWebhookEndpoints({ limit: 100 })).autoPagination();
}

/** What kind of failure an SDK error is, for messages that say what to do. */
export function classify(error: unknown): 'unauthorized' | 'not-found' | 'conflict' | 'rate-limited' | 'unreachable' | 'server' | 'other' {
  const status = (error as { status?: number }).status;
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status !== undefined && status >= 500) return 'server';
  const text = String((error as Error)?.message ?? error) + String((error as { cause?: unknown }).cause ?? '');
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|ECONNRESET|socket|timed? ?out|network/i.test(text)) return 'unreachable';
  return 'other';
}

/** Check the key (a cheap authenticated call) and the client ID (its JWKS must answer). */
export async function verifyKeys(api: WorkOSApi, clientId: string): Promise<void> {
  try {
    await checkApiKey(api);
  } catch (error) {
    const kind = classify(error);
    if (kind === 'unauthorized') {
      throw Object.assign(
        new UsageError(
          'WorkOS rejected the API key.',
          'Copy the key again from the WorkOS dashboard (API Keys) and pass it with --workos-api-key or WORKOS_API_KEY.',
        ),
        { option: 'workosApiKey' as const },
      );
    }
    throw unreachable(api, error);
  }
  const jwksUrl = api.client.userManagement.getJwksUrl(clientId);
  let status: number | undefined;
  try {
    await fetchJwks(jwksUrl, api.timeoutMs);
  } catch (error) {
    status = error instanceof JwksError ? error.status : undefined;
    if (status === undefined) throw unreachable(api, error);
  }
  if (status === 404 || status === 400) {
    throw Object.assign(
      new UsageError(
        `WorkOS does not know the client ID ${clientId}.`,
        'Copy the client ID from the same WorkOS environment as the API key (API Keys → Client ID) and pass it with --workos-client-id.',
      ),
      { option: 'workosClientId' as const },
    );
  }
  if (status !== undefined) throw unreachable(api, new Error(`JWKS answered ${status}`));
}

function unreachable(api: WorkOSApi, error: unknown): Error {
  const kind = classify(error);
  const why =
    kind === 'rate-limited'
      ? 'WorkOS kept answering "too many requests"'
      : kind === 'server'
        ? 'WorkOS answered with a server error'
        : `could not reach the WorkOS API at ${api.origin}`;
  const timedOut = /time(d)? ?out/i.test(String((error as Error)?.message ?? error));
  return Object.assign(new Error(`${why}: ${(error as Error)?.message ?? error}`), {
    fix:
      'Check your network connection (and WORKOS_API_HOSTNAME if you set it), then run the same command again' +
      (timedOut ? '. A slow answer needs a longer --timeout.' : '.'),
  });
}

/**
 * A WorkOS call that failed after the keys were verified, turned into what to do: a refused key (it
 * was revoked or rolled meanwhile) names the key; anything else, the network and a rerun.
 */
async function explained<T>(api: WorkOSApi, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if ((error as { fix?: string }).fix) throw error;
    const kind = classify(error);
    if (kind === 'unauthorized') {
      throw Object.assign(new Error(`WorkOS refused the API key: ${(error as Error).message}`), {
        fix: 'Copy the API key again from the WorkOS dashboard (API Keys), pass it with --workos-api-key or WORKOS_API_KEY, and run the same command again.',
      });
    }
    if (kind === 'unreachable' || kind === 'server' || kind === 'rate-limited') throw unreachable(api, error);
    throw error;
  }
}

/** An "already exists" answer counts as success: configuration calls are idempotent. */
async function idempotent(call: () => Promise<unknown>): Promise<'created' | 'existed'> {
  try {
    await call();
    return 'created';
  } catch (error) {
    const status = (error as { status?: number }).status;
    // 422s that carry an `errors` list lose their text in the SDK; the codes are still in the message.
    const text = `${(error as Error).message} ${(error as { code?: string }).code ?? ''}`;
    if (status === 409 || (status === 422 && /already|exist|duplicate/i.test(text))) return 'existed';
    throw error;
  }
}

/** The generated app's own OAuth callback (Google and SSO sign-in), beside AuthKit's. */
export function oauthRedirectUri(redirectUri: string): string {
  return `${new URL(redirectUri).origin}/callback/oauth`;
}

export interface EnvironmentOutcome {
  /** Settings the API would not take, each as one exact dashboard step for the user. */
  dashboardSteps: string[];
}

/** Redirect URIs, CORS origin and homepage URL of the AuthKit environment. */
export async function configureEnvironment(api: WorkOSApi, redirectUri: string): Promise<EnvironmentOutcome> {
  return explained(api, () => configure(api, redirectUri));
}

async function configure(api: WorkOSApi, redirectUri: string): Promise<EnvironmentOutcome> {
  const origin = new URL(redirectUri).origin;
  const dashboardSteps: string[] = [];
  await idempotent(() => api.client.post('/user_management/redirect_uris', { uri: redirectUri }));
  await idempotent(() => api.client.post('/user_management/redirect_uris', { uri: oauthRedirectUri(redirectUri) }));
  await idempotent(() => api.client.post('/user_management/cors_origins', { origin }));
  try {
    await idempotent(() => api.client.put('/user_management/app_homepage_url', { url: origin }));
  } catch (error) {
    // WorkOS may refuse a localhost homepage; that is cosmetic (where "back to app" links go).
    if ((error as { status?: number }).status !== 422) throw error;
    dashboardSteps.push(`WorkOS dashboard → Redirects → App homepage URL: set it to your app's public URL (the API would not take ${origin}).`);
  }
  // No API sets the sign-in endpoint (where WorkOS sends users to start signing in).
  dashboardSteps.push(`WorkOS dashboard → Redirects → Sign-in endpoint: set it to ${origin}/sign-in`);
  // Nor the Logout redirects: WorkOS sends a signed-out user only to a listed one, so without it "Sign out" fails.
  dashboardSteps.push(`WorkOS dashboard → Redirects → Logout redirects: add ${origin}/ (where "Sign out" returns; WorkOS refuses an address it does not list)`);
  return { dashboardSteps };
}

export interface WebhookOutcome {
  endpointId: string;
  /** The signing secret, when this run created the endpoint; undefined when we kept an existing one. */
  secret?: string;
  action: 'created' | 'kept' | 'recreated';
}

/**
 * One endpoint per URL, always with a secret the deployment knows: keep an existing endpoint only
 * when the deployment already holds its secret; otherwise replace it, since WorkOS may not show an
 * existing endpoint's secret again.
 */
export async function ensureWebhookEndpoint(
  api: WorkOSApi,
  endpointUrl: string,
  deploymentHasSecret: boolean,
  extraEvents: readonly string[] = [],
): Promise<WebhookOutcome> {
  return explained(api, () => ensureEndpoint(api, endpointUrl, deploymentHasSecret, extraEvents));
}

async function ensureEndpoint(api: WorkOSApi, endpointUrl: string, deploymentHasSecret: boolean, extraEvents: readonly string[]): Promise<WebhookOutcome> {
  const existing = await findEndpoints(api, endpointUrl);
  const events = [...WEBHOOK_EVENTS, ...extraEvents];
  if (existing.length === 1 && deploymentHasSecret) {
    const endpoint = existing[0]!;
    const missing = events.filter((e) => !endpoint.events.includes(e));
    if (missing.length > 0 || endpoint.status !== 'enabled') {
      await api.client.webhooks.updateWebhookEndpoint({ id: endpoint.id, events, status: 'enabled' } as never);
    }
    return { endpointId: endpoint.id, action: 'kept' };
  }
  for (const endpoint of existing) await api.client.webhooks.deleteWebhookEndpoint({ id: endpoint.id });
  const created = await api.client.webhooks.createWebhookEndpoint({ endpointUrl, events } as never);
  addSecret(created.secret);
  return { endpointId: created.id, secret: created.secret, action: existing.length > 0 ? 'recreated' : 'created' };
}

async function findEndpoints(api: WorkOSApi, endpointUrl: string) {
  const all = await listWebhookEndpoints(api);
  return all.filter((e) => e.endpointUrl === endpointUrl);
}
