/** The stand-in's Google and SSO sign-in (sign-in-providers.ts), driven by the real SDK as the generated app does. */
import { WorkOS } from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkOSStandIn, type WorkOSStandIn } from './index.js';

let w: WorkOSStandIn;
let workos: WorkOS;
const redirectUri = 'http://localhost:3000/callback/oauth';

beforeAll(async () => {
  w = await startWorkOSStandIn();
  workos = new WorkOS(w.apiKey, { clientId: w.clientId, apiHostname: w.hostname, port: w.port, https: false });
  w.state.redirectUris.push(redirectUri);
});
afterAll(async () => {
  await w.close();
});

/** Submits the provider page's form for `email`: the redirect back (302) or the refusal page. */
async function submit(url: string, email: string) {
  const form = new URLSearchParams(Object.fromEntries(new URL(url).searchParams));
  form.set('email', email);
  return fetch(`${w.origin}/user_management/authorize`, { method: 'POST', body: form, redirect: 'manual' });
}

const exchange = (body: Record<string, string>) =>
  fetch(`${w.origin}/user_management/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: w.clientId, client_secret: w.apiKey, grant_type: 'authorization_code', ...body }),
  });

describe('sign-in providers', () => {
  it('Google: its own page; the code needs the PKCE verifier (a wrong one: 400 invalid_grant); the session is GoogleOAuth', async () => {
    const { url, state, codeVerifier } = await workos.userManagement.getAuthorizationUrlWithPKCE({ provider: 'GoogleOAuth', redirectUri });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in with Google');
    const back = await submit(url, 'lin@gmail.example');
    expect(back.status).toBe(302);
    const to = new URL(back.headers.get('location')!);
    expect(to.searchParams.get('state')).toBe(state);
    const code = to.searchParams.get('code')!;

    // PKCE (RFC 7636): the client secret alone does not redeem a code issued for a challenge.
    for (const wrong of [{}, { code_verifier: 'x'.repeat(43) }] as Array<Record<string, string>>) {
      const res = await exchange({ code, ...wrong });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String) });
    }
    const auth = await workos.userManagement.authenticateWithCode({ clientId: w.clientId, code, codeVerifier });
    expect(auth.user.email).toBe('lin@gmail.example');
    expect(auth.authenticationMethod).toBe('GoogleOAuth');
  });

  it('refuses an unknown provider and a malformed challenge', async () => {
    const base = { client_id: w.clientId, redirect_uri: redirectUri, response_type: 'code' };
    const bad = [
      { ...base, provider: 'MySpaceOAuth' },
      { ...base, provider: 'GoogleOAuth', code_challenge: 'short', code_challenge_method: 'S256' },
      { ...base, provider: 'GoogleOAuth', code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' },
    ];
    for (const q of bad) {
      const res = await fetch(`${w.origin}/user_management/authorize?${new URLSearchParams(q)}`, { redirect: 'manual' });
      expect(res.status, JSON.stringify(q)).toBe(400);
    }
  });

  it("SSO: an organization's connection signs in only its domains' people, makes them members, and the session carries the organization", async () => {
    const org = w.addOrganization({ name: 'Initech', domains: ['initech.example'] });
    const conn = w.addConnection({ organization_id: org.id, name: 'Initech Okta' });
    const { url, codeVerifier } = await workos.userManagement.getAuthorizationUrlWithPKCE({ organizationId: org.id, redirectUri });
    expect(await (await fetch(url)).text()).toContain('Initech Okta: single sign-on for Initech');

    const outsider = await submit(url, 'someone@elsewhere.example');
    expect(outsider.status).toBe(400);
    expect(w.state.users.some((u) => u.email === 'someone@elsewhere.example')).toBe(false);

    const back = await submit(url, 'peter@initech.example');
    expect(back.status).toBe(302);
    const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
    const auth = await workos.userManagement.authenticateWithCode({ clientId: w.clientId, code, codeVerifier });
    expect(auth.organizationId).toBe(org.id);
    expect(auth.authenticationMethod).toBe('SSO');
    expect(w.state.memberships.filter((m) => m.user_id === auth.user.id).map((m) => m.organization_id)).toEqual([org.id]);

    // By connection too; an inactive connection is refused.
    const byConnection = await workos.userManagement.getAuthorizationUrlWithPKCE({ connectionId: conn.id, redirectUri });
    expect((await submit(byConnection.url, 'peter@initech.example')).status).toBe(302);
    const off = w.addConnection({ organization_id: org.id, state: 'inactive' });
    const refused = await workos.userManagement.getAuthorizationUrlWithPKCE({ connectionId: off.id, redirectUri });
    expect((await fetch(refused.url)).status).toBe(400);
  });
});
