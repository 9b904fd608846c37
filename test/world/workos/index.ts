/**
 * Offline stand-in for the WorkOS API, good enough for the real `@workos-inc/node` SDK (10.x) and for
 * `@workos-inc/authkit-nextjs` (4.x) pointed at it with WORKOS_API_HOSTNAME / WORKOS_API_PORT /
 * WORKOS_API_HTTPS=false.
 *
 * Wire shapes follow what the SDK's deserializers read (snake_case JSON, `{object:'list', data,
 * list_metadata:{before, after}}` lists, `{message, code}` errors). Where the real API's answer is
 * not documented (duplicate redirect URI / CORS origin, homepage URL reply) the choice is noted.
 *
 * The parts: types.ts (wire types, options), router.ts (which file answers which path),
 * hosted-sign-in.ts (the browser pages), authenticate.ts + tokens.ts (codes, tokens, JWKS),
 * webhooks.ts (endpoints and signed delivery), *-routes.ts (the rest of the management API).
 */
import http from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { GrantFaults } from './grant-faults.js';
import { applyFault, FaultList, type Fault, type FaultAnswer, type FaultMatch } from '../faults.js';
import { parseBody, readBody, sendJson } from '../http.js';
import { closeServer, listen } from '../server.js';
import { asRecord, safeEqual } from './checks.js';
import type { WorkOSContext } from './context.js';
import { jwksClientOf, useAuthDomain } from './custom-domain.js';
import { ApiError } from './errors.js';
import { newId, randomToken } from './ids.js';
import { addMembership, addOrganization, addUser, recordEvent } from './records.js';
import { route, type Auth } from './router.js';
import { signAccessToken } from './tokens.js';
import type { RequestRecord, StandInOptions, StandInState, WorkOSStandIn } from './types.js';
import { emptyState, environmentOf, productionContext } from './production.js';
import { addEnvironment, type AddedEnvironment } from './environments.js';
import { oneShotRoutes, oneShotState } from './one-shot-environments.js';
import { addConnection } from './sign-in-providers.js';
import { deliverWebhook } from './webhooks.js';

export type * from './types.js';
export type { Fault, FaultMatch };

/** WorkOS's JSON answers carry a request id, as the SDK's errors quote it. */
function sendWorkOSJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const typed: Record<string, string> = status === 204 ? {} : { 'content-type': 'application/json; charset=utf-8' };
  sendJson(res, status, body, { ...typed, 'x-request-id': `req_${randomToken(9)}`, ...headers });
}

/** An injected fault answers in WorkOS's error shape; one with neither status nor body only delays. */
const workosFault: FaultAnswer = {
  send: sendWorkOSJson,
  body: (status) => ({ message: `Injected fault ${status}` }),
};

const SECRET_FIELDS = new Set(['client_secret', 'password', 'refresh_token', 'code_verifier']);
/** The request log must not keep secrets a test might print. */
function redactBody(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    out[k] = SECRET_FIELDS.has(k) && v != null ? '[redacted]' : v;
  }
  return out;
}

export async function startWorkOSStandIn(opts: StandInOptions = {}): Promise<WorkOSStandIn> {
  const apiKey = opts.apiKey ?? `sk_test_${randomToken(18)}`;
  const clientId = opts.clientId ?? newId('client');
  const issuerStyle = opts.issuerStyle ?? 'user_management';
  const issuer =
    issuerStyle === 'legacy' ? 'https://api.workos.com/' : `https://api.workos.com/user_management/${clientId}`;

  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = newId('sso_oidc_kid');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  const state: StandInState = emptyState();
  const ctx: WorkOSContext = {
    opts,
    apiKey,
    clientId,
    issuer,
    issuerStyle,
    ttl: opts.accessTokenTtlSeconds ?? 300,
    kid,
    privateKey,
    publicJwk,
    state,
    codes: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    grantFaults: new GrantFaults(),
    autoSignInEmail: () => standIn.autoSignInEmail,
  };
  if (opts.authDomain) useAuthDomain(ctx, opts.authDomain);
  const production = productionContext(ctx, opts.production);
  // Where requests are routed: staging, production, and any environment added later (environments.ts).
  const envs: WorkOSContext[] = [ctx, production];
  const added: AddedEnvironment[] = [];
  const requests: RequestRecord[] = [];
  const oneShot = oneShotState();
  const faults = new FaultList();
  // POSTs with an Idempotency-Key answer the same again (the SDK sends one on retries).
  const idempotent = new Map<string, { status: number; body: unknown }>();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: `stand-in error: ${err instanceof Error ? err.message : String(err)}` }));
      } else res.destroy();
    });
  });
  const origin = await listen(server);
  const hostname = '127.0.0.1';
  const port = Number(new URL(origin).port);

  const bearerOf = (req: http.IncomingMessage) => /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  function authOf(req: http.IncomingMessage, env: WorkOSContext): Auth {
    if (!req.headers.authorization) return 'none';
    const key = bearerOf(req);
    return key && safeEqual(key, env.apiKey) ? 'ok' : 'bad';
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const body = parseBody(req, await readBody(req));
    const env = environmentOf(envs, bearerOf(req), path, query, asRecord(body));
    const auth = authOf(req, env);
    const rec: RequestRecord = { at: Date.now(), method, path, auth, ...(env.production ? { environment: 'production' as const } : {}) };
    if (url.searchParams.size > 0) rec.query = query;
    if (body !== undefined) rec.body = redactBody(body);
    requests.push(rec);

    if (await applyFault(faults, req, res, path, workosFault)) return;

    const idemKey = method === 'POST' ? req.headers['idempotency-key'] : undefined;
    const idemSlot = typeof idemKey === 'string' ? `${path} ${idemKey}` : undefined;
    if (idemSlot && idempotent.has(idemSlot)) {
      const prev = idempotent.get(idemSlot)!;
      sendWorkOSJson(res, prev.status, prev.body);
      return;
    }

    try {
      const shot = oneShotRoutes(oneShot, () => standIn.addEnvironment({ name: 'Unclaimed' }), method, path, asRecord(body));
      const out = shot ?? (await route(env, { method, path, query, body: asRecord(body) }, auth, res));
      if (out === undefined) return; // already answered (redirect / HTML)
      if (idemSlot && out.status < 500) idempotent.set(idemSlot, out);
      sendWorkOSJson(res, out.status, out.body);
    } catch (err) {
      if (err instanceof ApiError) sendWorkOSJson(res, err.status, err.body, err.headers);
      else throw err;
    }
  }

  const standIn: WorkOSStandIn = {
    origin,
    hostname,
    port,
    apiKey,
    clientId,
    autoSignInEmail: opts.autoSignInEmail,
    get issuer() {
      return ctx.issuer;
    },
    setAuthDomain: (domain) => useAuthDomain(ctx, domain),
    addLogoutUri: (uri) => void (state.logoutUris.includes(uri) || state.logoutUris.push(uri)),
    jwksClientOf: (url) => jwksClientOf(ctx, url) ?? jwksClientOf(production, url),
    jwksUrl: `${origin}/sso/jwks/${clientId}`,
    sdkEnv: () => ({ WORKOS_API_HOSTNAME: hostname, WORKOS_API_PORT: String(port), WORKOS_API_HTTPS: 'false' }),
    state,
    production: { apiKey: production.apiKey, clientId: production.clientId, state: production.state, setAuthDomain: (domain) => useAuthDomain(production, domain) },
    requests,
    fail: (match, fault) => faults.add(match, fault),
    failGrant: (grant, fault) => ctx.grantFaults!.add(grant, fault),
    requireOrganizationSelection: (on) => void (ctx.requireOrganizationSelection = on),
    clearFaults: () => {
      faults.clear();
      ctx.grantFaults!.clear();
    },
    addUser: (u) => addUser(state, u),
    addOrganization: (o) => addOrganization(state, o),
    addMembership: (m) => addMembership(state, m),
    addConnection: (c) => addConnection(state, c),
    recordEvent: (event, data) => recordEvent(state, event, data),
    signAccessToken: (claims) => signAccessToken(ctx, claims),
    environments: added,
    oneShot,
    addEnvironment: (o) => {
      const env = addEnvironment(ctx, envs, o);
      added.push(env);
      return env;
    },
    // Any environment's endpoint: the secret is the one of the endpoint registered at that URL.
    deliverWebhook: (url, event, o) =>
      deliverWebhook({ ...state, webhookEndpoints: envs.flatMap((e) => e.state.webhookEndpoints) }, url, event, o),
    close: () => closeServer(server),
  };
  return standIn;
}
