/**
 * Offline stand-in for the WorkOS API, good enough for the real `@workos-inc/node` SDK (10.x) and for
 * `@workos-inc/authkit-nextjs` (4.x) pointed at it with WORKOS_API_HOSTNAME / WORKOS_API_PORT /
 * WORKOS_API_HTTPS=false.
 *
 * Wire shapes follow what the SDK's deserializers read (snake_case JSON, `{object:'list', data,
 * list_metadata:{before, after}}` lists, `{message, code}` errors). Where the real API's answer is
 * not documented (duplicate redirect URI / CORS origin, homepage URL reply) the choice is noted.
 *
 * Hosted sign-in (GET /user_management/authorize):
 *  - if `autoSignInEmail` is set (option or `standIn.autoSignInEmail = ...`), or `login_hint` names an
 *    existing user, it redirects straight back to `redirect_uri?code=…&state=…`;
 *  - otherwise it answers a small HTML page with a form (`input[name=email]`, button "Continue")
 *    that POSTs to /user_management/authorize; submitting signs that email in (creating the user if
 *    needed) and redirects back the same way.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { FaultList, type Fault, type FaultMatch } from '../faults.js';
import { closeServer, listen } from '../server.js';

// ---------------------------------------------------------------------------------------------
// Wire types (what the API sends)

export interface User {
  object: 'user';
  id: string;
  email: string;
  email_verified: boolean;
  first_name: string | null;
  last_name: string | null;
  profile_picture_url: string | null;
  last_sign_in_at: string | null;
  locale: string | null;
  external_id: string | null;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface OrganizationDomain {
  object: 'organization_domain';
  id: string;
  domain: string;
  organization_id: string;
  state: 'verified' | 'pending';
  verification_strategy: 'manual' | 'dns';
  created_at: string;
  updated_at: string;
}

export interface Org {
  object: 'organization';
  id: string;
  name: string;
  allow_profiles_outside_organization: boolean;
  domains: OrganizationDomain[];
  external_id: string | null;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
}
export type Organization = Org;

export interface Membership {
  object: 'organization_membership';
  id: string;
  user_id: string;
  organization_id: string;
  organization_name: string;
  status: 'active' | 'inactive' | 'pending';
  role: { slug: string };
  roles?: Array<{ slug: string }>;
  directory_managed: boolean;
  custom_attributes: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface Event {
  object: 'event';
  id: string;
  event: string;
  data: unknown;
  created_at: string;
  context: Record<string, unknown>;
}

export interface WebhookEndpoint {
  object: 'webhook_endpoint';
  id: string;
  endpoint_url: string;
  secret: string;
  status: 'enabled' | 'disabled';
  events: string[];
  created_at: string;
  updated_at: string;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  auth?: 'ok' | 'bad' | 'none';
}

export type { Fault, FaultMatch };

export interface StandInState {
  webhookEndpoints: WebhookEndpoint[];
  redirectUris: string[];
  corsOrigins: string[];
  homepageUrl?: string;
  users: User[];
  organizations: Org[];
  memberships: Membership[];
  magicCodes: Array<{ email: string; code: string; id: string; user_id: string; expires_at: string; used: boolean }>;
  events: Event[];
}

export interface AccessTokenClaims {
  sub: string;
  sid?: string;
  org_id?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
  kid?: string;
  /** Extra claims merged into the payload. */
  extra?: Record<string, unknown>;
}

export interface StandInOptions {
  apiKey?: string;
  clientId?: string;
  /** Lifetime of access tokens minted by /user_management/authenticate (default 300). */
  accessTokenTtlSeconds?: number;
  /** 'user_management' (default): iss = https://api.workos.com/user_management/<clientId>, no aud.
   *  'legacy': iss = https://api.workos.com/, aud = clientId. */
  issuerStyle?: 'user_management' | 'legacy';
  /** Hosted sign-in signs this email in without showing the form. */
  autoSignInEmail?: string;
  /** Accept any redirect_uri at /user_management/authorize even if never registered (default false:
   *  like the real API, an unregistered redirect URI is refused). */
  allowUnregisteredRedirectUris?: boolean;
  /** Status for a duplicate CORS origin (default 409 with code duplicate_cors_origin). */
  corsDuplicateStatus?: 409 | 422;
  /** Answer 422 to PUT app_homepage_url with a localhost / 127.0.0.1 URL (default false). */
  homepageRejectsLocalhost?: boolean;
  /** Include `secret` in webhook endpoint list / update answers (default false: only the create
   *  answer carries it, which forces callers to keep the secret from the create call). */
  revealWebhookSecretsInList?: boolean;
}

export interface WorkOSStandIn {
  origin: string;
  hostname: string;
  port: number;
  apiKey: string;
  clientId: string;
  /** Settable at runtime: hosted sign-in signs this email in without a form. */
  autoSignInEmail: string | undefined;
  sdkEnv(): Record<string, string>;
  state: StandInState;
  requests: RequestRecord[];
  fail(match: FaultMatch, fault: Fault): void;
  clearFaults(): void;
  addUser(u: Partial<User> & { email: string }): User;
  addOrganization(o: Partial<Omit<Org, 'domains'>> & { name: string; domains?: string[] }): Org;
  addMembership(m: { user_id: string; organization_id: string; role?: string; status?: Membership['status']; id?: string }): Membership;
  /** Records an event in state.events (what GET /events lists). */
  recordEvent(event: string, data: unknown): Event;
  signAccessToken(claims: AccessTokenClaims): Promise<string>;
  jwksUrl: string;
  /** Issuer string this stand-in puts in access tokens. */
  issuer: string;
  deliverWebhook(
    url: string,
    event: { event: string; data: unknown; id?: string; created_at?: string },
    opts?: { secret?: string; timestampMs?: number; tamper?: boolean },
  ): Promise<Response>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastUlidMs = 0;
let ulidSeq = 0;
/** ULID-like id (time-ordered, 26 Crockford chars), as WorkOS ids look: `user_01H…`. */
function newId(prefix: string): string {
  let ms = Date.now();
  if (ms <= lastUlidMs) {
    ms = lastUlidMs;
    ulidSeq++;
  } else {
    lastUlidMs = ms;
    ulidSeq = 0;
  }
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 4 chars of sequence keep ids ordered within one millisecond, then 12 random chars.
  let seq = '';
  let s = ulidSeq;
  for (let i = 0; i < 4; i++) {
    seq = CROCKFORD[s % 32] + seq;
    s = Math.floor(s / 32);
  }
  let rand = '';
  for (let i = 0; i < 12; i++) rand += CROCKFORD[randomInt(32)];
  return `${prefix}_${time}${seq}${rand}`;
}

const nowIso = () => new Date().toISOString();
const randomToken = (bytes = 24) => randomBytes(bytes).toString('base64url');

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.error_description ?? status));
  }
}
const notFound = (what: string, id: string) =>
  new ApiError(404, { message: `${what} not found: '${id}'.`, code: 'entity_not_found', entity_id: id });
const unprocessable = (message: string, errors: Array<{ field: string; code: string }> = []) =>
  new ApiError(422, { message, code: 'invalid_request_parameters', errors });
const oauthError = (status: number, error: string, description: string) =>
  new ApiError(status, { error, error_description: description });

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const SECRET_FIELDS = new Set(['client_secret', 'password', 'refresh_token', 'code_verifier']);
function redactBody(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    out[k] = SECRET_FIELDS.has(k) && v != null ? '[redacted]' : v;
  }
  return out;
}

function isHttpUrl(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** WorkOS-style cursor pagination over an insertion-ordered array. */
function paginate<T extends { id: string }>(items: T[], query: Record<string, string>): {
  object: 'list';
  data: T[];
  list_metadata: { before: string | null; after: string | null };
} {
  const order = query.order === 'asc' || query.order === 'normal' ? 'asc' : 'desc';
  const sorted = order === 'asc' ? [...items] : [...items].reverse();
  let limit = Number(query.limit ?? 10);
  if (!Number.isFinite(limit) || limit < 1) limit = 10;
  limit = Math.min(Math.floor(limit), 100);
  let start = 0;
  let end = sorted.length;
  if (query.after) {
    const i = sorted.findIndex((x) => x.id === query.after);
    start = i === -1 ? sorted.length : i + 1;
    end = Math.min(sorted.length, start + limit);
  } else if (query.before) {
    const i = sorted.findIndex((x) => x.id === query.before);
    end = i === -1 ? 0 : i;
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(sorted.length, limit);
  }
  const data = sorted.slice(start, end);
  return {
    object: 'list',
    data,
    list_metadata: {
      before: start > 0 && data.length > 0 ? data[0]!.id : null,
      after: end < sorted.length && data.length > 0 ? data[data.length - 1]!.id : null,
    },
  };
}

interface Session {
  id: string;
  userId: string;
  orgId?: string;
  authMethod: string;
  revoked: boolean;
}
interface AuthCode {
  code: string;
  userId: string;
  redirectUri: string;
  orgId?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
  used: boolean;
  authMethod: string;
}

// ---------------------------------------------------------------------------------------------

export async function startWorkOSStandIn(opts: StandInOptions = {}): Promise<WorkOSStandIn> {
  const apiKey = opts.apiKey ?? `sk_test_${randomToken(18)}`;
  const clientId = opts.clientId ?? newId('client');
  const ttl = opts.accessTokenTtlSeconds ?? 300;
  const issuerStyle = opts.issuerStyle ?? 'user_management';
  const issuer =
    issuerStyle === 'legacy' ? 'https://api.workos.com/' : `https://api.workos.com/user_management/${clientId}`;

  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = newId('sso_oidc_kid');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  const state: StandInState = {
    webhookEndpoints: [],
    redirectUris: [],
    corsOrigins: [],
    users: [],
    organizations: [],
    memberships: [],
    magicCodes: [],
    events: [],
  };
  const requests: RequestRecord[] = [];
  const faults = new FaultList();
  const codes = new Map<string, AuthCode>();
  const sessions = new Map<string, Session>();
  const refreshTokens = new Map<string, { sessionId: string; used: boolean }>();
  const idempotent = new Map<string, { status: number; body: unknown }>();

  // --- seed helpers ------------------------------------------------------------------------
  function recordEvent(event: string, data: unknown): Event {
    const e: Event = { object: 'event', id: newId('event'), event, data, created_at: nowIso(), context: {} };
    state.events.push(e);
    return e;
  }

  function addUser(u: Partial<User> & { email: string }): User {
    const email = u.email.toLowerCase();
    if (state.users.some((x) => x.email === email)) throw new Error(`stand-in: user ${email} already exists`);
    const ts = nowIso();
    const user: User = {
      object: 'user',
      id: u.id ?? newId('user'),
      email,
      email_verified: u.email_verified ?? true,
      first_name: u.first_name ?? null,
      last_name: u.last_name ?? null,
      profile_picture_url: u.profile_picture_url ?? null,
      last_sign_in_at: u.last_sign_in_at ?? null,
      locale: u.locale ?? null,
      external_id: u.external_id ?? null,
      metadata: u.metadata ?? {},
      created_at: u.created_at ?? ts,
      updated_at: u.updated_at ?? ts,
    };
    state.users.push(user);
    recordEvent('user.created', user);
    return user;
  }

  function addOrganization(o: Partial<Omit<Org, 'domains'>> & { name: string; domains?: string[] }): Org {
    const ts = nowIso();
    const id = o.id ?? newId('org');
    const org: Org = {
      object: 'organization',
      id,
      name: o.name,
      allow_profiles_outside_organization: o.allow_profiles_outside_organization ?? false,
      domains: (o.domains ?? []).map((domain) => ({
        object: 'organization_domain',
        id: newId('org_domain'),
        domain,
        organization_id: id,
        state: 'verified',
        verification_strategy: 'manual',
        created_at: ts,
        updated_at: ts,
      })),
      external_id: o.external_id ?? null,
      metadata: o.metadata ?? {},
      created_at: o.created_at ?? ts,
      updated_at: o.updated_at ?? ts,
    };
    state.organizations.push(org);
    recordEvent('organization.created', org);
    return org;
  }

  function addMembership(m: {
    user_id: string;
    organization_id: string;
    role?: string;
    status?: Membership['status'];
    id?: string;
  }): Membership {
    const org = state.organizations.find((o) => o.id === m.organization_id);
    if (!org) throw new Error(`stand-in: no organization ${m.organization_id}`);
    if (!state.users.some((u) => u.id === m.user_id)) throw new Error(`stand-in: no user ${m.user_id}`);
    const ts = nowIso();
    const slug = m.role ?? 'member';
    const membership: Membership = {
      object: 'organization_membership',
      id: m.id ?? newId('om'),
      user_id: m.user_id,
      organization_id: m.organization_id,
      organization_name: org.name,
      status: m.status ?? 'active',
      role: { slug },
      roles: [{ slug }],
      directory_managed: false,
      custom_attributes: {},
      created_at: ts,
      updated_at: ts,
    };
    state.memberships.push(membership);
    recordEvent('organization_membership.created', membership);
    return membership;
  }

  function findOrCreateUserByEmail(email: string): User {
    const e = email.trim().toLowerCase();
    return state.users.find((u) => u.email === e) ?? addUser({ email: e });
  }

  // --- tokens --------------------------------------------------------------------------------
  async function signAccessToken(c: AccessTokenClaims): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: c.issuer ?? issuer,
      sub: c.sub,
      sid: c.sid ?? newId('session'),
      jti: newId('jti'),
      iat,
      exp: iat + (c.ttlSeconds ?? ttl),
    };
    const aud = c.audience ?? (issuerStyle === 'legacy' ? clientId : undefined);
    if (aud !== undefined) payload.aud = aud;
    if (c.org_id !== undefined) payload.org_id = c.org_id;
    if (c.role !== undefined) payload.role = c.role;
    if (c.roles !== undefined) payload.roles = c.roles;
    if (c.permissions !== undefined) payload.permissions = c.permissions;
    Object.assign(payload, c.extra ?? {});
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: c.kid ?? kid, typ: 'JWT' })
      .sign(privateKey);
  }

  async function issueTokens(session: Session) {
    const user = state.users.find((u) => u.id === session.userId);
    if (!user) throw oauthError(400, 'invalid_grant', 'User no longer exists.');
    const claims: AccessTokenClaims = { sub: user.id, sid: session.id };
    if (session.orgId) {
      const m = state.memberships.find(
        (x) => x.user_id === user.id && x.organization_id === session.orgId && x.status === 'active',
      );
      claims.org_id = session.orgId;
      if (m) {
        claims.role = m.role.slug;
        claims.roles = (m.roles ?? [m.role]).map((r) => r.slug);
        claims.permissions = [];
      }
    }
    const access_token = await signAccessToken(claims);
    const refresh_token = randomToken(24);
    refreshTokens.set(refresh_token, { sessionId: session.id, used: false });
    user.last_sign_in_at = nowIso();
    return {
      user,
      ...(session.orgId ? { organization_id: session.orgId } : {}),
      access_token,
      refresh_token,
      authentication_method: session.authMethod,
    };
  }

  function defaultOrgFor(userId: string): string | undefined {
    const active = state.memberships.filter((m) => m.user_id === userId && m.status === 'active');
    return active.length === 1 ? active[0]!.organization_id : undefined;
  }

  function newSession(userId: string, authMethod: string, orgId?: string): Session {
    const s: Session = { id: newId('session'), userId, orgId, authMethod, revoked: false };
    sessions.set(s.id, s);
    recordEvent('session.created', {
      object: 'session',
      id: s.id,
      user_id: userId,
      organization_id: orgId ?? null,
      status: 'active',
      auth_method: authMethod,
      created_at: nowIso(),
      updated_at: nowIso(),
    });
    return s;
  }

  // --- webhooks ------------------------------------------------------------------------------
  function endpointView(e: WebhookEndpoint, withSecret: boolean) {
    if (withSecret) return { ...e };
    const { secret: _secret, ...rest } = e;
    return rest;
  }

  async function deliverWebhook(
    url: string,
    event: { event: string; data: unknown; id?: string; created_at?: string },
    o: { secret?: string; timestampMs?: number; tamper?: boolean } = {},
  ): Promise<Response> {
    const secret = o.secret ?? state.webhookEndpoints.find((e) => e.endpoint_url === url)?.secret;
    if (!secret) throw new Error(`stand-in: no webhook endpoint registered for ${url} and no secret given`);
    const body = JSON.stringify({
      id: event.id ?? newId('event'),
      event: event.event,
      data: event.data,
      created_at: event.created_at ?? nowIso(),
    });
    const t = o.timestampMs ?? Date.now();
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    // Tampering: the signature covers the original body, the receiver gets a changed one.
    const sent = o.tamper ? body.replace(/}$/, ',"tampered":true}') : body;
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'WorkOS-Signature': `t=${t}, v1=${v1}`, 'User-Agent': 'WorkOS' },
      body: sent,
    });
  }

  // --- HTTP plumbing -------------------------------------------------------------------------
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

  function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const requestId = `req_${randomToken(9)}`;
    if (status === 204) {
      res.writeHead(204, { 'X-Request-ID': requestId, ...headers });
      res.end();
      return;
    }
    const text = JSON.stringify(body ?? null);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'X-Request-ID': requestId,
      ...headers,
    });
    res.end(text);
  }
  function redirect(res: http.ServerResponse, location: string) {
    res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
    res.end();
  }
  function sendHtml(res: http.ServerResponse, status: number, html: string) {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  }

  async function readBody(req: http.IncomingMessage): Promise<{ raw: string; parsed: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (!raw) return { raw, parsed: undefined };
    const ct = String(req.headers['content-type'] ?? '');
    if (ct.includes('application/x-www-form-urlencoded')) {
      return { raw, parsed: Object.fromEntries(new URLSearchParams(raw)) };
    }
    try {
      return { raw, parsed: JSON.parse(raw) as unknown };
    } catch {
      return { raw, parsed: raw };
    }
  }

  function authOf(req: http.IncomingMessage): 'ok' | 'bad' | 'none' {
    const h = req.headers.authorization;
    if (!h) return 'none';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    return m && safeEqual(m[1]!.trim(), apiKey) ? 'ok' : 'bad';
  }



  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const { parsed: body } = await readBody(req);
    const auth = authOf(req);
    const rec: RequestRecord = { at: Date.now(), method, path, auth };
    if (url.searchParams.size > 0) rec.query = query;
    if (body !== undefined) rec.body = redactBody(body);
    requests.push(rec);

    const fault = faults.take(method, path);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.hang) return;
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined || fault.body !== undefined) {
        const status = fault.status ?? 200;
        sendJson(res, status, fault.body ?? { message: `Injected fault ${status}` }, fault.headers);
        return;
      }
      // delay-only fault: carry on normally
    }

    const idemKey = method === 'POST' ? req.headers['idempotency-key'] : undefined;
    const idemSlot = typeof idemKey === 'string' ? `${path} ${idemKey}` : undefined;
    if (idemSlot && idempotent.has(idemSlot)) {
      const prev = idempotent.get(idemSlot)!;
      sendJson(res, prev.status, prev.body);
      return;
    }

    try {
      const out = await route(method, path, query, body, auth, res);
      if (out === undefined) return; // already answered (redirect / HTML)
      if (idemSlot && out.status < 500) idempotent.set(idemSlot, out);
      sendJson(res, out.status, out.body);
    } catch (err) {
      if (err instanceof ApiError) sendJson(res, err.status, err.body, err.headers);
      else throw err;
    }
  }

  type Out = { status: number; body: unknown } | undefined;
  const ok = (body: unknown, status = 200): Out => ({ status, body });

  function requireKey(auth: 'ok' | 'bad' | 'none') {
    if (auth === 'none') throw new ApiError(401, { message: 'Unauthorized', code: 'unauthorized' });
    if (auth === 'bad')
      throw new ApiError(401, { message: 'Could not authorize the request. Maybe your API key is invalid?', code: 'unauthorized' });
  }

  function asRecord(body: unknown): Record<string, unknown> {
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  }

  async function route(
    method: string,
    path: string,
    query: Record<string, string>,
    rawBody: unknown,
    auth: 'ok' | 'bad' | 'none',
    res: http.ServerResponse,
  ): Promise<Out> {
    const body = asRecord(rawBody);
    let m: RegExpExecArray | null;

    // ---- public endpoints (no API key) ----
    if (method === 'GET' && (m = /^\/sso\/jwks\/([^/]+)$/.exec(path))) {
      if (decodeURIComponent(m[1]!) !== clientId)
        throw new ApiError(404, { message: 'Not Found', code: 'entity_not_found' });
      return ok({ keys: [publicJwk] });
    }
    if (path === '/user_management/authorize' && (method === 'GET' || method === 'POST')) {
      await authorize(method === 'GET' ? query : { ...query, ...(body as Record<string, string>) }, method, res);
      return undefined;
    }
    if (method === 'GET' && path === '/user_management/sessions/logout') {
      const s = query.session_id ? sessions.get(query.session_id) : undefined;
      if (!query.session_id) throw unprocessable('session_id is required', [{ field: 'session_id', code: 'required' }]);
      if (s && !s.revoked) {
        s.revoked = true;
        recordEvent('session.revoked', { object: 'session', id: s.id, user_id: s.userId, status: 'revoked' });
      }
      const to = query.return_to ?? state.homepageUrl;
      if (to) redirect(res, to);
      else sendHtml(res, 200, '<!doctype html><title>Signed out</title><p>You have been signed out.</p>');
      return undefined;
    }
    if (method === 'POST' && path === '/user_management/authenticate') {
      return ok(await authenticate(body));
    }

    // ---- everything else needs the API key ----
    requireKey(auth);

    // webhook endpoints
    if (path === '/webhook_endpoints') {
      if (method === 'GET') {
        const page = paginate(state.webhookEndpoints, query);
        return ok({ ...page, data: page.data.map((e) => endpointView(e, !!opts.revealWebhookSecretsInList)) });
      }
      if (method === 'POST') {
        const endpoint_url = body.endpoint_url;
        const events = body.events;
        if (!isHttpUrl(endpoint_url))
          throw unprocessable('Validation failed', [{ field: 'endpoint_url', code: 'endpoint_url must be a valid URL' }]);
        if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string'))
          throw unprocessable('Validation failed', [{ field: 'events', code: 'events must be a non-empty array of strings' }]);
        if (state.webhookEndpoints.some((e) => e.endpoint_url === endpoint_url))
          throw new ApiError(409, {
            message: 'A webhook endpoint with this URL already exists.',
            code: 'duplicate_endpoint',
          });
        const ts = nowIso();
        const we: WebhookEndpoint = {
          object: 'webhook_endpoint',
          id: newId('we'),
          endpoint_url,
          secret: randomToken(24),
          status: 'enabled',
          events: events as string[],
          created_at: ts,
          updated_at: ts,
        };
        state.webhookEndpoints.push(we);
        return ok(endpointView(we, true), 201);
      }
    }
    if ((m = /^\/webhook_endpoints\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[1]!);
      const idx = state.webhookEndpoints.findIndex((e) => e.id === id);
      if (idx === -1) throw notFound('Webhook endpoint', id);
      const we = state.webhookEndpoints[idx]!;
      if (method === 'GET') return ok(endpointView(we, !!opts.revealWebhookSecretsInList));
      if (method === 'DELETE') {
        state.webhookEndpoints.splice(idx, 1);
        return ok(null, 204);
      }
      if (method === 'PATCH') {
        if (body.endpoint_url !== undefined) {
          if (!isHttpUrl(body.endpoint_url))
            throw unprocessable('Validation failed', [{ field: 'endpoint_url', code: 'endpoint_url must be a valid URL' }]);
          if (state.webhookEndpoints.some((e) => e.id !== id && e.endpoint_url === body.endpoint_url))
            throw new ApiError(409, { message: 'A webhook endpoint with this URL already exists.', code: 'duplicate_endpoint' });
          we.endpoint_url = body.endpoint_url;
        }
        if (body.status !== undefined) {
          if (body.status !== 'enabled' && body.status !== 'disabled')
            throw unprocessable('Validation failed', [{ field: 'status', code: 'status must be enabled or disabled' }]);
          we.status = body.status;
        }
        if (body.events !== undefined) {
          if (!Array.isArray(body.events) || !body.events.every((e) => typeof e === 'string'))
            throw unprocessable('Validation failed', [{ field: 'events', code: 'events must be an array of strings' }]);
          we.events = body.events as string[];
        }
        we.updated_at = nowIso();
        return ok(endpointView(we, !!opts.revealWebhookSecretsInList));
      }
    }

    // dashboard settings
    if (method === 'POST' && path === '/user_management/redirect_uris') {
      const uri = body.uri;
      if (!isHttpUrl(uri)) throw unprocessable('Validation failed', [{ field: 'uri', code: 'uri must be a valid URL' }]);
      if (state.redirectUris.includes(uri))
        throw new ApiError(422, { message: 'Redirect URI already exists.', code: 'redirect_uri_already_exists' });
      state.redirectUris.push(uri);
      const ts = nowIso();
      return ok({ object: 'redirect_uri', id: newId('ruri'), uri, default: state.redirectUris.length === 1, created_at: ts, updated_at: ts }, 201);
    }
    if (method === 'POST' && path === '/user_management/cors_origins') {
      const o = body.origin;
      if (!isHttpUrl(o) || new URL(o).origin !== o.replace(/\/$/, ''))
        throw unprocessable('Validation failed', [{ field: 'origin', code: 'origin must be a valid origin' }]);
      if (state.corsOrigins.includes(o)) {
        const status = opts.corsDuplicateStatus ?? 409;
        throw new ApiError(status, {
          message: 'CORS origin already exists.',
          code: status === 409 ? 'duplicate_cors_origin' : 'cors_origin_already_exists',
        });
      }
      state.corsOrigins.push(o);
      const ts = nowIso();
      return ok({ object: 'cors_origin', id: newId('cors_origin'), origin: o, created_at: ts, updated_at: ts }, 201);
    }
    if (method === 'PUT' && path === '/user_management/app_homepage_url') {
      const u = body.url;
      if (!isHttpUrl(u)) throw unprocessable('Validation failed', [{ field: 'url', code: 'url must be a valid URL' }]);
      if (opts.homepageRejectsLocalhost && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(new URL(u).hostname))
        throw unprocessable('Validation failed', [{ field: 'url', code: 'url must not be a localhost URL' }]);
      state.homepageUrl = u;
      return ok({ object: 'app_homepage_url', url: u });
    }

    // magic auth
    if (method === 'POST' && path === '/user_management/magic_auth') {
      const email = body.email;
      if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email))
        throw unprocessable('Validation failed', [{ field: 'email', code: 'email must be a valid email' }]);
      const user = findOrCreateUserByEmail(email);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const ts = nowIso();
      const rec = {
        id: newId('magic_auth'),
        email: user.email,
        code,
        user_id: user.id,
        expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
        used: false,
      };
      state.magicCodes.push(rec);
      recordEvent('magic_auth.created', { object: 'magic_auth', id: rec.id, user_id: user.id, email: user.email, expires_at: rec.expires_at, created_at: ts, updated_at: ts });
      return ok(
        { object: 'magic_auth', id: rec.id, user_id: user.id, email: user.email, expires_at: rec.expires_at, code, created_at: ts, updated_at: ts },
        201,
      );
    }
    if (method === 'POST' && path === '/user_management/sessions/revoke') {
      const s = typeof body.session_id === 'string' ? sessions.get(body.session_id) : undefined;
      if (!s) throw new ApiError(400, { message: 'Session not found.', code: 'session_not_found' });
      s.revoked = true;
      return ok({});
    }

    // users
    if (path === '/user_management/users') {
      if (method === 'GET') {
        let list = state.users;
        if (query.email) list = list.filter((u) => u.email === query.email!.toLowerCase());
        if (query.organization_id)
          list = list.filter((u) =>
            state.memberships.some((mm) => mm.user_id === u.id && mm.organization_id === query.organization_id),
          );
        return ok(paginate(list, query));
      }
      if (method === 'POST') {
        if (typeof body.email !== 'string') throw unprocessable('Validation failed', [{ field: 'email', code: 'email is required' }]);
        if (state.users.some((u) => u.email === String(body.email).toLowerCase()))
          throw unprocessable('Validation failed', [{ field: 'email', code: 'email_not_available' }]);
        return ok(addUser(body as Partial<User> & { email: string }), 201);
      }
    }
    if (method === 'GET' && (m = /^\/user_management\/users\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[1]!);
      const u = state.users.find((x) => x.id === id);
      if (!u) throw notFound('User', id);
      return ok(u);
    }

    // organizations
    if (path === '/organizations') {
      if (method === 'GET') {
        let list = state.organizations;
        const domains = query.domains?.split(',').filter(Boolean);
        if (domains?.length) list = list.filter((o) => o.domains.some((d) => domains.includes(d.domain)));
        return ok(paginate(list, query));
      }
      if (method === 'POST') {
        if (typeof body.name !== 'string' || !body.name)
          throw unprocessable('Validation failed', [{ field: 'name', code: 'name is required' }]);
        const domains = Array.isArray(body.domain_data)
          ? (body.domain_data as Array<{ domain: string }>).map((d) => d.domain)
          : Array.isArray(body.domains)
            ? (body.domains as string[])
            : [];
        return ok(
          addOrganization({
            name: body.name,
            domains,
            external_id: typeof body.external_id === 'string' ? body.external_id : null,
            metadata: (body.metadata as Record<string, string>) ?? {},
          }),
          201,
        );
      }
    }
    if (method === 'GET' && (m = /^\/organizations\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[1]!);
      const o = state.organizations.find((x) => x.id === id);
      if (!o) throw notFound('Organization', id);
      return ok(o);
    }

    // memberships
    if (method === 'GET' && path === '/user_management/organization_memberships') {
      if (!query.user_id && !query.organization_id)
        throw unprocessable('Either user_id or organization_id must be provided.', [
          { field: 'user_id', code: 'required' },
        ]);
      const statuses = (query.statuses ?? 'active').split(',');
      const list = state.memberships.filter(
        (x) =>
          (!query.user_id || x.user_id === query.user_id) &&
          (!query.organization_id || x.organization_id === query.organization_id) &&
          statuses.includes(x.status),
      );
      return ok(paginate(list, query));
    }
    if (method === 'GET' && (m = /^\/user_management\/organization_memberships\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[1]!);
      const x = state.memberships.find((mm) => mm.id === id);
      if (!x) throw notFound('Organization membership', id);
      return ok(x);
    }

    // events (oldest first, cursor = event id)
    if (method === 'GET' && path === '/events') {
      const names = query.events?.split(',').filter(Boolean);
      let list = state.events;
      if (names?.length) list = list.filter((e) => names.includes(e.event));
      if (query.range_start) list = list.filter((e) => e.created_at >= query.range_start!);
      if (query.range_end) list = list.filter((e) => e.created_at < query.range_end!);
      const page = paginate(list, { ...query, order: query.order === 'desc' ? 'desc' : 'asc', before: '' });
      return ok({ object: 'list', data: page.data, list_metadata: { after: page.list_metadata.after } });
    }

    throw new ApiError(404, { message: `No route for ${method} ${path}`, code: 'not_found' });
  }

  // --- hosted sign-in ------------------------------------------------------------------------
  async function authorize(params: Record<string, string>, method: string, res: http.ServerResponse) {
    const fail = (msg: string) =>
      sendHtml(res, 400, `<!doctype html><title>Error</title><h1>Error</h1><p id="error">${htmlEscape(msg)}</p>`);
    if (params.client_id !== clientId) return fail('Invalid client ID.');
    if (params.response_type !== 'code') return fail("response_type must be 'code'.");
    const redirectUri = params.redirect_uri;
    if (!isHttpUrl(redirectUri)) return fail('Invalid redirect URI.');
    if (!opts.allowUnregisteredRedirectUris && !state.redirectUris.includes(redirectUri))
      return fail(`Invalid redirect URI: ${redirectUri} is not registered for this environment.`);
    if (params.organization_id && !state.organizations.some((o) => o.id === params.organization_id))
      return fail('Invalid organization ID.');

    const complete = (user: User, authMethod: string) => {
      const code = randomToken(24);
      codes.set(code, {
        code,
        userId: user.id,
        redirectUri,
        orgId: params.organization_id || defaultOrgFor(user.id),
        codeChallenge: params.code_challenge || undefined,
        codeChallengeMethod: params.code_challenge_method || undefined,
        expiresAt: Date.now() + 10 * 60_000,
        used: false,
        authMethod,
      });
      const to = new URL(redirectUri);
      to.searchParams.set('code', code);
      if (params.state) to.searchParams.set('state', params.state);
      redirect(res, to.toString());
    };

    if (method === 'POST') {
      const email = params.email?.trim();
      if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) return fail('A valid email is required.');
      return complete(findOrCreateUserByEmail(email), 'MagicAuth');
    }
    const auto = standIn.autoSignInEmail ?? (params.login_hint ? state.users.find((u) => u.email === params.login_hint!.toLowerCase())?.email : undefined);
    if (auto) return complete(findOrCreateUserByEmail(auto), 'MagicAuth');

    const hidden = Object.entries(params)
      .filter(([k]) => k !== 'email')
      .map(([k, v]) => `<input type="hidden" name="${htmlEscape(k)}" value="${htmlEscape(v)}">`)
      .join('\n      ');
    sendHtml(
      res,
      200,
      `<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in (WorkOS stand-in)</title></head>
<body>
  <h1>${params.screen_hint === 'sign-up' ? 'Sign up' : 'Sign in'}</h1>
  <form method="post" action="/user_management/authorize">
      ${hidden}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" value="${htmlEscape(params.login_hint ?? '')}" required>
      <button type="submit">Continue</button>
  </form>
</body></html>`,
    );
  }

  // --- /user_management/authenticate ----------------------------------------------------------
  async function authenticate(body: Record<string, unknown>) {
    const grant = body.grant_type;
    if (body.client_id !== clientId) throw oauthError(400, 'invalid_client', 'Invalid client ID.');
    const secret = body.client_secret;
    if (secret !== undefined && (typeof secret !== 'string' || !safeEqual(secret, apiKey)))
      throw oauthError(401, 'invalid_client', 'Invalid client secret.');

    if (grant === 'authorization_code') {
      const code = typeof body.code === 'string' ? codes.get(body.code) : undefined;
      if (!code || code.used || code.expiresAt < Date.now())
        throw oauthError(400, 'invalid_grant', 'The code is invalid or has expired.');
      if (code.codeChallenge) {
        const verifier = body.code_verifier;
        if (typeof verifier !== 'string') throw oauthError(400, 'invalid_grant', 'code_verifier is required.');
        const computed =
          code.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
        if (computed !== code.codeChallenge) throw oauthError(400, 'invalid_grant', 'Invalid PKCE code verifier.');
      } else if (secret === undefined) {
        throw oauthError(400, 'invalid_client', 'client_secret or code_verifier is required.');
      }
      code.used = true;
      const session = newSession(code.userId, code.authMethod, code.orgId);
      return issueTokens(session);
    }

    if (grant === 'refresh_token') {
      const rt = typeof body.refresh_token === 'string' ? refreshTokens.get(body.refresh_token) : undefined;
      if (!rt || rt.used) throw oauthError(400, 'invalid_grant', 'Invalid refresh token.');
      const session = sessions.get(rt.sessionId);
      if (!session || session.revoked) throw oauthError(400, 'invalid_grant', 'Session has already ended.');
      const orgId = typeof body.organization_id === 'string' && body.organization_id ? body.organization_id : undefined;
      if (orgId && orgId !== session.orgId) {
        const member = state.memberships.some(
          (x) => x.user_id === session.userId && x.organization_id === orgId && x.status === 'active',
        );
        if (!member) throw oauthError(400, 'invalid_grant', 'User is not a member of the organization.');
        session.orgId = orgId;
      }
      rt.used = true;
      return issueTokens(session);
    }

    if (grant === 'urn:workos:oauth:grant-type:magic-auth:code') {
      if (secret === undefined) throw oauthError(400, 'invalid_client', 'client_secret is required.');
      const email = typeof body.email === 'string' ? body.email.toLowerCase() : '';
      const rec = [...state.magicCodes]
        .reverse()
        .find((c) => c.email === email && !c.used && c.code === body.code && Date.parse(c.expires_at) > Date.now());
      if (!rec) {
        recordEvent('authentication.magic_auth_failed', { type: 'magic_auth', status: 'failed', email, user_id: null, ip_address: null, user_agent: null, error: { code: 'invalid_one_time_code', message: 'Invalid code.' } });
        throw new ApiError(400, { code: 'invalid_one_time_code', message: 'The code is invalid or has expired.' });
      }
      rec.used = true;
      const user = state.users.find((u) => u.id === rec.user_id) ?? findOrCreateUserByEmail(email);
      user.email_verified = true;
      recordEvent('authentication.magic_auth_succeeded', { type: 'magic_auth', status: 'succeeded', email, user_id: user.id, ip_address: null, user_agent: null });
      const session = newSession(user.id, 'MagicAuth', defaultOrgFor(user.id));
      return issueTokens(session);
    }

    throw oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${String(grant)}`);
  }

  const standIn: WorkOSStandIn = {
    origin,
    hostname,
    port,
    apiKey,
    clientId,
    autoSignInEmail: opts.autoSignInEmail,
    issuer,
    jwksUrl: `${origin}/sso/jwks/${clientId}`,
    sdkEnv: () => ({ WORKOS_API_HOSTNAME: hostname, WORKOS_API_PORT: String(port), WORKOS_API_HTTPS: 'false' }),
    state,
    requests,
    fail: (match, fault) => faults.add(match, fault),
    clearFaults: () => faults.clear(),
    addUser,
    addOrganization,
    addMembership,
    recordEvent,
    signAccessToken,
    deliverWebhook,
    close: () => closeServer(server),
  };
  return standIn;
}
