import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConflictException,
  NotFoundException,
  SignatureVerificationException,
  UnauthorizedException,
  WorkOS,
} from '@workos-inc/node';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkOSStandIn, type WorkOSStandIn } from './index.js';

let w: WorkOSStandIn;
let workos: WorkOS;

function sdkFor(s: WorkOSStandIn, apiKey = s.apiKey, extra: Record<string, unknown> = {}) {
  return new WorkOS(apiKey, { clientId: s.clientId, apiHostname: s.hostname, port: s.port, https: false, ...extra });
}

beforeAll(async () => {
  w = await startWorkOSStandIn();
  workos = sdkFor(w);
});
afterAll(async () => {
  await w.close();
});

describe('webhook endpoints', () => {
  it('create / list / update / delete, and 409 on a duplicate URL', async () => {
    const created = await workos.webhooks.createWebhookEndpoint({
      endpointUrl: 'https://example.test/api/webhooks/workos',
      events: ['user.created', 'user.updated'],
    });
    expect(created.id).toMatch(/^we_/);
    expect(created.secret).toBeTruthy();
    expect(created.status).toBe('enabled');
    expect(created.events).toEqual(['user.created', 'user.updated']);
    expect(w.requests.at(-1)).toMatchObject({ method: 'POST', path: '/webhook_endpoints', auth: 'ok' });

    const dup = await workos.webhooks
      .createWebhookEndpoint({ endpointUrl: 'https://example.test/api/webhooks/workos', events: ['user.created'] })
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictException);
    expect((dup as ConflictException & { code?: string }).code).toBe('duplicate_endpoint');

    const list = await workos.webhooks.listWebhookEndpoints();
    expect(list.data.map((e) => e.id)).toEqual([created.id]);

    const updated = await workos.webhooks.updateWebhookEndpoint({
      id: created.id,
      events: ['user.created', 'organization.created'],
      status: 'disabled',
    });
    expect(updated.events).toEqual(['user.created', 'organization.created']);
    expect(updated.status).toBe('disabled');
    expect(w.state.webhookEndpoints[0]?.secret).toBe(created.secret);

    await workos.webhooks.deleteWebhookEndpoint({ id: created.id });
    expect(w.state.webhookEndpoints).toHaveLength(0);
    await expect(workos.webhooks.deleteWebhookEndpoint({ id: created.id })).rejects.toBeInstanceOf(NotFoundException);
  });

  it('bad API key -> UnauthorizedException, and the key is never logged', async () => {
    const bad = sdkFor(w, 'sk_test_wrong');
    await expect(bad.webhooks.listWebhookEndpoints()).rejects.toBeInstanceOf(UnauthorizedException);
    expect(w.requests.at(-1)).toMatchObject({ path: '/webhook_endpoints', auth: 'bad' });
    const logged = JSON.stringify(w.requests);
    expect(logged).not.toContain(w.apiKey);
    expect(logged).not.toContain('sk_test_wrong');
  });
});

describe('dashboard settings', () => {
  const call = (method: string, path: string, body: unknown, key = w.apiKey) =>
    fetch(`${w.origin}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('redirect URI, CORS origin, homepage URL (duplicates answer "already exists")', async () => {
    const r1 = await call('POST', '/user_management/redirect_uris', { uri: 'http://localhost:3000/callback' });
    expect(r1.status).toBe(201);
    expect(await r1.json()).toMatchObject({ object: 'redirect_uri', uri: 'http://localhost:3000/callback' });
    const r2 = await call('POST', '/user_management/redirect_uris', { uri: 'http://localhost:3000/callback' });
    expect(r2.status).toBe(422);
    expect(await r2.text()).toContain('already exists');

    const c1 = await call('POST', '/user_management/cors_origins', { origin: 'http://localhost:3000' });
    expect(c1.status).toBe(201);
    const c2 = await call('POST', '/user_management/cors_origins', { origin: 'http://localhost:3000' });
    expect(c2.status).toBe(409);
    expect(await c2.json()).toMatchObject({ code: 'duplicate_cors_origin' });

    const h = await call('PUT', '/user_management/app_homepage_url', { url: 'http://localhost:3000' });
    expect(h.status).toBe(200);
    expect(w.state).toMatchObject({
      redirectUris: ['http://localhost:3000/callback'],
      corsOrigins: ['http://localhost:3000'],
      homepageUrl: 'http://localhost:3000',
    });

    const unauth = await call('PUT', '/user_management/app_homepage_url', { url: 'http://x.test' }, 'nope');
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toHaveProperty('message');
  });
});

describe('authentication', () => {
  it('magic auth: create code, authenticate, token verifies against the JWKS', async () => {
    const magic = await workos.userManagement.createMagicAuth({ email: 'Magic@Example.test' });
    expect(magic.userId).toMatch(/^user_/);
    const stored = w.state.magicCodes.find((c) => c.email === 'magic@example.test');
    expect(stored?.code).toMatch(/^\d{6}$/);

    await expect(
      workos.userManagement.authenticateWithMagicAuth({ clientId: w.clientId, email: 'magic@example.test', code: '000000x' }),
    ).rejects.toThrow();

    const auth = await workos.userManagement.authenticateWithMagicAuth({
      clientId: w.clientId,
      email: 'magic@example.test',
      code: stored!.code,
    });
    expect(auth.user.email).toBe('magic@example.test');
    expect(auth.authenticationMethod).toBe('MagicAuth');
    expect(auth.refreshToken).toBeTruthy();

    const JWKS = createRemoteJWKSet(new URL(w.jwksUrl));
    const { payload, protectedHeader } = await jwtVerify(auth.accessToken, JWKS, {
      issuer: `https://api.workos.com/user_management/${w.clientId}`,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload.sub).toBe(auth.user.id);
    expect(payload.sid).toMatch(/^session_/);
    expect(payload.jti).toBeTruthy();
    expect(payload.exp! - payload.iat!).toBe(300);
    // The SDK's own JWKS URL is the stand-in's.
    expect(workos.userManagement.getJwksUrl(w.clientId)).toBe(w.jwksUrl);
    // A code is single use.
    await expect(
      workos.userManagement.authenticateWithMagicAuth({ clientId: w.clientId, email: 'magic@example.test', code: stored!.code }),
    ).rejects.toThrow();
  });

  it('authorize (PKCE, like authkit-nextjs) -> code -> authenticateWithCode -> refresh -> logout', async () => {
    const user = w.addUser({ email: 'ada@example.test', first_name: 'Ada' });
    const org = w.addOrganization({ name: 'Acme', domains: ['acme.test'] });
    w.addMembership({ user_id: user.id, organization_id: org.id, role: 'admin' });

    const pkce = await workos.pkce.generate();
    const redirectUri = 'http://localhost:3000/callback'; // registered in the previous test
    const url = workos.userManagement.getAuthorizationUrl({
      provider: 'authkit',
      clientId: w.clientId,
      redirectUri,
      state: 'st-123',
      codeChallenge: pkce.codeChallenge,
      codeChallengeMethod: pkce.codeChallengeMethod,
    });
    expect(url.startsWith(`${w.origin}/user_management/authorize?`)).toBe(true);

    // Without auto sign-in, the hosted page is a form with an email field.
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="email"');

    // Submitting the form (what a browser test does) redirects back with code + state.
    const form = new URLSearchParams(Object.fromEntries(new URL(url).searchParams));
    form.set('email', 'ada@example.test');
    const submitted = await fetch(`${w.origin}/user_management/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(submitted.status).toBe(302);
    const back = new URL(submitted.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-123');
    const code = back.searchParams.get('code')!;

    // Wrong verifier is refused; the right one works (confidential client + PKCE, as authkit-nextjs does).
    await expect(
      workos.userManagement.authenticateWithCode({ clientId: w.clientId, code, codeVerifier: 'x'.repeat(43) }),
    ).rejects.toThrow();
    const auth = await workos.userManagement.authenticateWithCode({
      clientId: w.clientId,
      code,
      codeVerifier: pkce.codeVerifier,
    });
    expect(auth.user.id).toBe(user.id);
    expect(auth.organizationId).toBe(org.id);
    const JWKS = createRemoteJWKSet(new URL(w.jwksUrl));
    const { payload } = await jwtVerify(auth.accessToken, JWKS, { issuer: w.issuer });
    expect(payload).toMatchObject({ sub: user.id, org_id: org.id, role: 'admin' });

    const refreshed = await workos.userManagement.authenticateWithRefreshToken({
      clientId: w.clientId,
      refreshToken: auth.refreshToken,
      organizationId: org.id,
    });
    expect(refreshed.refreshToken).not.toBe(auth.refreshToken);
    const { payload: p2 } = await jwtVerify(refreshed.accessToken, JWKS, { issuer: w.issuer });
    expect(p2.sid).toBe(payload.sid);
    expect(p2.sub).toBe(user.id);
    // Refresh tokens rotate: the old one is spent.
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: w.clientId, refreshToken: auth.refreshToken }),
    ).rejects.toThrow();

    // Sign-out: a return_to that is not a Logout redirect (a dashboard setting) is refused, and the
    // session lives on; once registered, the logout URL revokes the session and redirects there.
    const logoutUrl = workos.userManagement.getLogoutUrl({ sessionId: String(payload.sid), returnTo: 'http://localhost:3000/' });
    const refused = await fetch(logoutUrl, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).toContain('Logout redirects');
    w.addLogoutUri('http://localhost:3000/');
    const out = await fetch(logoutUrl, { redirect: 'manual' });
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe('http://localhost:3000/');
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: w.clientId, refreshToken: refreshed.refreshToken }),
    ).rejects.toThrow();
  });

  it('auto sign-in, unregistered redirect URI, unknown client', async () => {
    w.autoSignInEmail = 'ada@example.test';
    try {
      const url = workos.userManagement.getAuthorizationUrl({
        provider: 'authkit',
        clientId: w.clientId,
        redirectUri: 'http://localhost:3000/callback',
      });
      const r = await fetch(url, { redirect: 'manual' });
      expect(r.status).toBe(302);
      const code = new URL(r.headers.get('location')!).searchParams.get('code')!;
      const auth = await workos.userManagement.authenticateWithCode({ clientId: w.clientId, code });
      expect(auth.user.email).toBe('ada@example.test');

      const bad = workos.userManagement.getAuthorizationUrl({
        provider: 'authkit',
        clientId: w.clientId,
        redirectUri: 'http://localhost:9999/elsewhere',
      });
      expect((await fetch(bad, { redirect: 'manual' })).status).toBe(400);
    } finally {
      w.autoSignInEmail = undefined;
    }
    expect((await fetch(`${w.origin}/sso/jwks/client_nope`)).status).toBe(404);
    await expect(
      workos.userManagement.authenticateWithCode({ clientId: 'client_nope', code: 'x' }),
    ).rejects.toThrow();
  });

  it('signAccessToken, legacy issuer style, authkit-style client from sdkEnv()', async () => {
    const legacy = await startWorkOSStandIn({ issuerStyle: 'legacy', accessTokenTtlSeconds: 60 });
    try {
      const token = await legacy.signAccessToken({ sub: 'user_1', org_id: 'org_1', role: 'member', permissions: ['a:b'] });
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(legacy.jwksUrl)), {
        issuer: 'https://api.workos.com/',
        audience: legacy.clientId,
      });
      expect(payload).toMatchObject({ sub: 'user_1', org_id: 'org_1', role: 'member', permissions: ['a:b'] });
      expect(payload.exp! - payload.iat!).toBe(60);
      const odd = await legacy.signAccessToken({ sub: 'u', kid: 'other-kid' });
      expect(decodeProtectedHeader(odd).kid).toBe('other-kid');
      await expect(jwtVerify(odd, createRemoteJWKSet(new URL(legacy.jwksUrl)))).rejects.toThrow();

      // The client exactly as authkit-nextjs 4.3.2 builds it from env (workos.js).
      const env = legacy.sdkEnv();
      const ak = new WorkOS(legacy.apiKey, {
        apiHostname: env.WORKOS_API_HOSTNAME,
        https: env.WORKOS_API_HTTPS ? env.WORKOS_API_HTTPS === 'true' : true,
        port: env.WORKOS_API_PORT ? parseInt(env.WORKOS_API_PORT) : undefined,
      });
      expect(ak.userManagement.getJwksUrl(legacy.clientId)).toBe(legacy.jwksUrl);
      expect((await ak.webhooks.listWebhookEndpoints()).data).toEqual([]);
    } finally {
      await legacy.close();
    }
  });
});

describe('custom authentication domain', () => {
  it("tokens carry the domain's issuer while it is set; its JWKS URL is this environment's, another host's is not", async () => {
    const s = await startWorkOSStandIn({ authDomain: 'auth.example.test' });
    try {
      const custom = `https://auth.example.test/user_management/${s.clientId}`;
      expect(s.issuer).toBe(custom);
      const token = await s.signAccessToken({ sub: 'user_1' });
      await jwtVerify(token, createRemoteJWKSet(new URL(s.jwksUrl)), { issuer: custom });
      expect(s.jwksClientOf(`https://auth.example.test/sso/jwks/${s.clientId}`)).toBe(s.clientId);
      expect(s.jwksClientOf(`https://api.workos.com/sso/jwks/${s.clientId}`)).toBe(s.clientId);
      expect(s.jwksClientOf(`https://auth.other.test/sso/jwks/${s.clientId}`)).toBeUndefined();
      s.setAuthDomain(undefined);
      expect(s.issuer).toBe(`https://api.workos.com/user_management/${s.clientId}`);
      expect(s.jwksClientOf(`https://auth.example.test/sso/jwks/${s.clientId}`)).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});

describe('directory data', () => {
  it('listUsers paginates over more than one page; get/list orgs and memberships; events', async () => {
    const s = await startWorkOSStandIn();
    try {
      const sdk = sdkFor(s);
      for (let i = 0; i < 23; i++) s.addUser({ email: `u${i}@example.test` });
      const p1 = await sdk.userManagement.listUsers({ limit: 10 });
      expect(p1.data).toHaveLength(10);
      expect(p1.data[0]!.email).toBe('u22@example.test'); // default order desc
      expect(p1.listMetadata.after).toBe(p1.data[9]!.id);
      const p2 = await sdk.userManagement.listUsers({ limit: 10, after: p1.listMetadata.after! });
      const p3 = await sdk.userManagement.listUsers({ limit: 10, after: p2.listMetadata.after! });
      expect(p3.data).toHaveLength(3);
      expect(p3.listMetadata.after).toBeNull();
      const all = [...p1.data, ...p2.data, ...p3.data].map((u) => u.email);
      expect(new Set(all).size).toBe(23);
      const back = await sdk.userManagement.listUsers({ limit: 10, before: p2.data[0]!.id });
      expect(back.data.map((u) => u.id)).toEqual(p1.data.map((u) => u.id));
      const everyone = await (await sdk.userManagement.listUsers()).autoPagination();
      expect(everyone).toHaveLength(23);

      const u0 = s.state.users[0]!;
      expect((await sdk.userManagement.getUser(u0.id)).email).toBe('u0@example.test');
      await expect(sdk.userManagement.getUser('user_missing')).rejects.toBeInstanceOf(NotFoundException);

      const org = s.addOrganization({ name: 'Globex', domains: ['globex.test'] });
      s.addMembership({ user_id: u0.id, organization_id: org.id });
      const orgs = await sdk.organizations.listOrganizations();
      expect(orgs.data.map((o) => o.name)).toEqual(['Globex']);
      const got = await sdk.organizations.getOrganization(org.id);
      expect(got.domains[0]?.domain).toBe('globex.test');
      const ms = await sdk.userManagement.listOrganizationMemberships({ organizationId: org.id });
      expect(ms.data).toHaveLength(1);
      expect(ms.data[0]).toMatchObject({ userId: u0.id, organizationId: org.id, role: { slug: 'member' }, status: 'active' });

      const ev = await sdk.events.listEvents({ events: ['user.created'], limit: 20 });
      expect(ev.data).toHaveLength(20);
      expect(ev.data[0]).toMatchObject({ event: 'user.created', data: { email: 'u0@example.test' } });
      const ev2 = await sdk.events.listEvents({ events: ['user.created'], limit: 20, after: ev.listMetadata.after ?? undefined });
      expect(ev2.data).toHaveLength(3);
      const orgEvents = await sdk.events.listEvents({ events: ['organization.created', 'organization_membership.created'] });
      expect(orgEvents.data.map((e) => e.event)).toEqual(['organization.created', 'organization_membership.created']);
    } finally {
      await s.close();
    }
  });
});

describe('webhook delivery', () => {
  it('signs like WorkOS: the SDK accepts it; tampered body and stale timestamp are rejected', async () => {
    const received: Array<{ ok: boolean; error?: string; event?: string }> = [];
    const receiver = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const payload = Buffer.concat(chunks).toString('utf8');
      try {
        const evt = await workos.webhooks.constructEvent({
          payload,
          sigHeader: String(req.headers['workos-signature']),
          secret: w.state.webhookEndpoints.find((e) => e.endpoint_url.endsWith('/hook'))!.secret,
        });
        received.push({ ok: true, event: evt.event });
        res.writeHead(200).end('ok');
      } catch (e) {
        received.push({ ok: false, error: e instanceof Error ? e.constructor.name : String(e) });
        res.writeHead(400).end('bad signature');
      }
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await workos.webhooks.createWebhookEndpoint({ endpointUrl: hookUrl, events: ['user.created'] });
      const user = w.state.users[0]!;
      const good = await w.deliverWebhook(hookUrl, { event: 'user.created', data: user });
      expect(good.status).toBe(200);
      expect(received.at(-1)).toEqual({ ok: true, event: 'user.created' });

      const tampered = await w.deliverWebhook(hookUrl, { event: 'user.created', data: user }, { tamper: true });
      expect(tampered.status).toBe(400);
      expect(received.at(-1)).toEqual({ ok: false, error: SignatureVerificationException.name });

      const stale = await w.deliverWebhook(hookUrl, { event: 'user.created', data: user }, { timestampMs: Date.now() - 10 * 60_000 });
      expect(stale.status).toBe(400);
      expect(received.at(-1)?.ok).toBe(false);

      const wrongSecret = await w.deliverWebhook(hookUrl, { event: 'user.created', data: user }, { secret: 'not-the-secret' });
      expect(wrongSecret.status).toBe(400);
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});

describe('faults', () => {
  it('429 with Retry-After then 200 is retried by the SDK; dropped connections too; errors surface', async () => {
    const before = w.requests.length;
    w.fail(
      { method: 'GET', path: '/user_management/users' },
      { status: 429, headers: { 'Retry-After': '0' }, body: { message: 'Too many requests' } },
    );
    const list = await workos.userManagement.listUsers({ limit: 1 });
    expect(list.data).toHaveLength(1);
    const hits = w.requests.slice(before).filter((r) => r.path === '/user_management/users');
    expect(hits).toHaveLength(2);

    w.fail({ path: /^\/webhook_endpoints$/ }, { drop: true });
    await expect(workos.webhooks.listWebhookEndpoints()).resolves.toBeTruthy();

    w.fail({ path: '/organizations' }, { status: 503, times: Infinity });
    const noRetry = sdkFor(w, w.apiKey, { maxRetries: 0 });
    await expect(noRetry.organizations.listOrganizations()).rejects.toMatchObject({ status: 503 });
    w.clearFaults();

    // Retried POSTs carry the SDK's Idempotency-Key: a create that failed with 500 is not duplicated.
    w.fail({ method: 'POST', path: '/webhook_endpoints' }, { status: 500, headers: { 'Retry-After': '0' } });
    const we = await workos.webhooks.createWebhookEndpoint({ endpointUrl: 'https://retry.test/hook', events: ['user.created'] });
    expect(w.state.webhookEndpoints.filter((e) => e.id === we.id)).toHaveLength(1);
  });
});

describe('organization selection and refused grants (issue 14)', () => {
  it('a member of two organizations gets organization_selection_required in the SDK\'s shape, then signs in with the organization-selection grant', async () => {
    const s = await startWorkOSStandIn();
    try {
      const sdk = sdkFor(s);
      const user = s.addUser({ email: 'both@example.test' });
      const a = s.addOrganization({ name: 'Org A' });
      const b = s.addOrganization({ name: 'Org B' });
      s.addMembership({ user_id: user.id, organization_id: a.id });
      s.addMembership({ user_id: user.id, organization_id: b.id });
      s.requireOrganizationSelection(true);
      await sdk.userManagement.createMagicAuth({ email: user.email });
      const code = s.state.magicCodes.at(-1)!.code;
      const err = (await sdk.userManagement.authenticateWithMagicAuth({ clientId: s.clientId, email: user.email, code }).catch((e: unknown) => e)) as {
        name: string; status: number; code: string; pendingAuthenticationToken?: string; rawData: { organizations?: unknown };
      };
      expect(err.name).toBe('AuthenticationException');
      expect(err.status).toBe(403);
      expect(err.code).toBe('organization_selection_required');
      expect(err.pendingAuthenticationToken).toBeTruthy();
      expect(err.rawData.organizations).toEqual([{ id: a.id, name: 'Org A' }, { id: b.id, name: 'Org B' }]);
      // An organization the pending sign-in did not offer is refused.
      const other = s.addOrganization({ name: 'Not theirs' });
      await expect(
        sdk.userManagement.authenticateWithOrganizationSelection({ clientId: s.clientId, pendingAuthenticationToken: err.pendingAuthenticationToken!, organizationId: other.id }),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
      const auth = await sdk.userManagement.authenticateWithOrganizationSelection({
        clientId: s.clientId,
        pendingAuthenticationToken: err.pendingAuthenticationToken!,
        organizationId: b.id,
      });
      expect(auth.organizationId).toBe(b.id);
      expect(auth.user.id).toBe(user.id);
      // Single use.
      await expect(
        sdk.userManagement.authenticateWithOrganizationSelection({ clientId: s.clientId, pendingAuthenticationToken: err.pendingAuthenticationToken!, organizationId: b.id }),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
    } finally {
      await s.close();
    }
  });

  it('failGrant refuses the next refresh (invalid_grant) and only refreshes; then refreshing works again', async () => {
    const s = await startWorkOSStandIn();
    try {
      const sdk = sdkFor(s);
      await sdk.userManagement.createMagicAuth({ email: 'r@example.test' });
      const first = await sdk.userManagement.authenticateWithMagicAuth({ clientId: s.clientId, email: 'r@example.test', code: s.state.magicCodes.at(-1)!.code });
      const fault = s.failGrant('refresh_token');
      await expect(sdk.userManagement.authenticateWithRefreshToken({ clientId: s.clientId, refreshToken: first.refreshToken })).rejects.toMatchObject({ error: 'invalid_grant' });
      expect(fault.taken).toBe(1);
      const again = await sdk.userManagement.authenticateWithRefreshToken({ clientId: s.clientId, refreshToken: first.refreshToken });
      expect(again.accessToken).toBeTruthy();
    } finally {
      await s.close();
    }
  });
});
