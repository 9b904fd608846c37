/**
 * Hosted sign-in (GET/POST /user_management/authorize) and sign-out: the pages a browser sees.
 *  - if `autoSignInEmail` is set, or `login_hint` names an existing user, authorize redirects straight
 *    back to `redirect_uri?code=…&state=…`;
 *  - otherwise it answers a small HTML form (`input[name=email]`, button "Continue") that POSTs back;
 *    submitting signs that email in (creating the user if needed) and redirects the same way.
 *  - Google and an organization's SSO get their own page of the same shape (sign-in-providers.ts).
 */
import type http from 'node:http';
import { randomToken } from './ids.js';
import { isHttpUrl } from './checks.js';
import type { WorkOSContext } from './context.js';
import { ApiError, unprocessable } from './errors.js';
import { acceptInvitation } from './accept-invitation.js';
import { returnToProblem } from './logout-uris.js';
import { findOrCreateUserByEmail, recordEvent } from './records.js';
import { ensureMembership, providerOf, ssoRefusal } from './sign-in-providers.js';
import { defaultOrgFor } from './tokens.js';
import type { User } from './types.js';

/** GET shows the form (or signs in at once); POST signs the submitted email in. */
export async function authorize(ctx: WorkOSContext, params: Record<string, string>, method: string, res: http.ServerResponse) {
  const { state, opts } = ctx;
  const fail = (msg: string) =>
    sendHtml(res, 400, `<!doctype html><title>Error</title><h1>Error</h1><p id="error">${htmlEscape(msg)}</p>`);
  if (params.client_id !== ctx.clientId) return fail('Invalid client ID.');
  if (params.response_type !== 'code') return fail("response_type must be 'code'.");
  const redirectUri = params.redirect_uri;
  if (!isHttpUrl(redirectUri)) return fail('Invalid redirect URI.');
  if (!opts.allowUnregisteredRedirectUris && !state.redirectUris.includes(redirectUri))
    return fail(`Invalid redirect URI: ${redirectUri} is not registered for this environment.`);
  if (params.organization_id && !state.organizations.some((o) => o.id === params.organization_id))
    return fail('Invalid organization ID.');
  // PKCE as RFC 7636 has it: S256 or plain, a challenge of 43 to 128 characters.
  if (params.code_challenge !== undefined) {
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(params.code_challenge)) return fail('Invalid code_challenge.');
    if (!['S256', 'plain', undefined].includes(params.code_challenge_method)) return fail('Invalid code_challenge_method.');
  }
  const provider = providerOf(state, params);
  if ('error' in provider) return fail(provider.error);

  const complete = (user: User, authMethod: string) => {
    // The hosted page accepts an invitation carried by the authorize URL (`invitation_token`).
    let invitedOrgId: string | undefined;
    try {
      invitedOrgId = acceptInvitation(state, params.invitation_token, user);
    } catch (error) {
      return fail(error instanceof ApiError ? String(error.body.message) : String(error));
    }
    const code = randomToken(24);
    ctx.codes.set(code, {
      code,
      userId: user.id,
      redirectUri,
      orgId: provider.kind === 'sso' ? provider.org.id : invitedOrgId || params.organization_id || defaultOrgFor(state, user.id),
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

  const signIn = (email: string) => {
    if (provider.kind === 'sso') {
      const refused = ssoRefusal(provider.org, email);
      if (refused) return fail(refused);
      const user = findOrCreateUserByEmail(state, email);
      ensureMembership(state, provider.org, user.id);
      return complete(user, 'SSO');
    }
    return complete(findOrCreateUserByEmail(state, email), provider.kind === 'oauth' ? provider.authMethod : 'MagicAuth');
  };

  if (method === 'POST') {
    const email = params.email?.trim();
    if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) return fail('A valid email is required.');
    return signIn(email);
  }
  const auto = ctx.autoSignInEmail() ?? (params.login_hint ? state.users.find((u) => u.email === params.login_hint!.toLowerCase())?.email : undefined);
  if (auto) return signIn(auto);

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
  <h1>${provider.kind === 'authkit' ? (params.screen_hint === 'sign-up' ? 'Sign up' : 'Sign in') : htmlEscape(provider.heading)}</h1>
  <form method="post" action="/user_management/authorize">
      ${hidden}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" value="${htmlEscape(params.login_hint ?? '')}" required>
      <button type="submit">Continue</button>
  </form>
</body></html>`,
  );
}

/** GET /user_management/sessions/logout: ends the session, then back to `return_to` (a listed Logout redirect) or the homepage. */
export function logout(ctx: WorkOSContext, query: Record<string, string>, res: http.ServerResponse): void {
  const s = query.session_id ? ctx.sessions.get(query.session_id) : undefined;
  if (!query.session_id) throw unprocessable('session_id is required', [{ field: 'session_id', code: 'required' }]);
  // An unlisted return_to is refused before anything happens: the user stays signed in at WorkOS.
  const refused = returnToProblem(ctx.state, query.return_to);
  if (refused) {
    sendHtml(res, 400, `<!doctype html><title>Sign-out failed</title><p role="alert">${htmlEscape(refused)}</p>`);
    return;
  }
  if (s && !s.revoked) {
    s.revoked = true;
    recordEvent(ctx.state, 'session.revoked', { object: 'session', id: s.id, user_id: s.userId, status: 'revoked' });
  }
  const to = query.return_to ?? ctx.state.homepageUrl;
  if (to) redirect(res, to);
  else sendHtml(res, 200, '<!doctype html><title>Signed out</title><p>You have been signed out.</p>');
}

function redirect(res: http.ServerResponse, location: string) {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}

function sendHtml(res: http.ServerResponse, status: number, html: string) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
