/** The WorkOS side: the key, the redirect URIs, the webhook endpoint. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkApiKey, classify, listWebhookEndpoints, oauthRedirectUri, tryAuthorize, WEBHOOK_EVENTS } from '../../systems/workos.js';
import { extraWebhookEvents } from '../../features/index.js';
import type { DoctorContext } from '../context.js';
import { fail, pass, skip, warn, type Check } from '../types.js';

/** One command repairs the webhook: --add-webhooks on a project that has them makes one endpoint and sets its secret. */
export const REPAIR_WEBHOOK = 'npx create-authkit-convex --add-webhooks';

const noKeys = (ctx: DoctorContext) => `${ctx.envFile} lacks a valid WORKOS_API_KEY / WORKOS_CLIENT_ID (see above)`;

function unreachableFix(ctx: DoctorContext): string {
  return `Check your network (WorkOS API here: ${ctx.hostEnv.WORKOS_API_HOSTNAME ? `${ctx.hostEnv.WORKOS_API_HOSTNAME}, from WORKOS_API_HOSTNAME` : 'api.workos.com'}), then run doctor again.`;
}

export const workosApiKey: Check = async (ctx) => {
  const id = 'workos.api-key';
  const title = `WorkOS accepts ${ctx.envFile}'s WORKOS_API_KEY`;
  if (!ctx.apiKey || !ctx.clientId) return skip(id, title, noKeys(ctx));
  const api = await ctx.workos();
  try {
    await checkApiKey(api);
    return pass(id, title, api.origin);
  } catch (error) {
    if (classify(error) === 'unauthorized') {
      return fail(
        id,
        title,
        `WorkOS (${api.origin}) rejected the key: it was revoked, mistyped, or belongs to no environment.`,
        `Copy the key from WorkOS dashboard → API Keys into ${ctx.envFile} (WORKOS_API_KEY), and on the deployment: npx convex env set${ctx.convexTarget} WORKOS_API_KEY (it asks for the value)`,
      );
    }
    return fail(id, title, `Could not reach WorkOS at ${api.origin}: ${(error as Error).message}`, unreachableFix(ctx));
  }
};

export type AuthorizeVerdict =
  | { kind: 'registered'; detail: string }
  | { kind: 'unregistered'; detail: string }
  | { kind: 'client'; detail: string }
  | { kind: 'unknown'; detail: string };

/**
 * What WorkOS's answer to the hosted sign-in URL says about the redirect URI (redirects not followed).
 * No API lists redirect URIs, so this is inferred from behaviour: an accepted request redirects to
 * the hosted sign-in page (or back with a code); a refused one redirects to WorkOS's error pages
 * (error.workos.com/sso/redirect-uri-invalid, as users of the real API report) or answers 4xx (the
 * test stand-in).
 */
export function classifyAuthorizeAnswer(status: number, location: string | null, body: string): AuthorizeVerdict {
  if (status >= 300 && status < 400 && location) {
    let to: URL | undefined;
    try {
      to = new URL(location, 'https://api.workos.com');
    } catch {
      return { kind: 'unknown', detail: `redirected to an unparsable location` };
    }
    const isError = to.hostname.startsWith('error.') || /(^|\/)errors?(\/|$)/.test(to.pathname);
    if (isError) {
      const where = `${to.hostname}${to.pathname}`;
      if (/redirect[-_]?uri/i.test(to.pathname + to.search)) return { kind: 'unregistered', detail: `redirected to ${where}` };
      if (/client/i.test(to.pathname + to.search)) return { kind: 'client', detail: `redirected to ${where}` };
      return { kind: 'unknown', detail: `redirected to the error page ${where}` };
    }
    return { kind: 'registered', detail: `redirects to ${to.hostname}` };
  }
  if (status >= 200 && status < 300) return { kind: 'registered', detail: `answered ${status} (the sign-in page)` };
  const text = body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  if (status >= 400 && status < 500) {
    if (/redirect/i.test(text)) return { kind: 'unregistered', detail: `answered ${status}: ${text}` };
    if (/client/i.test(text)) return { kind: 'client', detail: `answered ${status}: ${text}` };
  }
  return { kind: 'unknown', detail: `answered ${status}${text ? `: ${text}` : ''}` };
}

/** The app's redirect URI, and its own OAuth callback when the app has that route. */
function redirectUris(ctx: DoctorContext): string[] {
  const main = ctx.localEnv.NEXT_PUBLIC_WORKOS_REDIRECT_URI;
  if (!main) return [];
  const uris = [main];
  const oauthRoute = ['src/app', 'app'].some((dir) => ['ts', 'js', 'tsx'].some((ext) => existsSync(path.join(ctx.projectDir, dir, 'callback/oauth', `route.${ext}`))));
  try {
    if (oauthRoute) uris.push(oauthRedirectUri(main));
  } catch {
    // a malformed URI is the local check's to report
  }
  return uris;
}

export const redirectUriRegistered: Check = async (ctx) => {
  const id = 'workos.redirect-uri';
  const title = 'WorkOS accepts the redirect URI (hosted sign-in starts)';
  if (!ctx.apiKey || !ctx.clientId) return skip(id, title, noKeys(ctx));
  const uris = redirectUris(ctx);
  if (uris.length === 0) return skip(id, title, `${ctx.envFile} has no NEXT_PUBLIC_WORKOS_REDIRECT_URI (see above)`);
  const api = await ctx.workos();
  const ok: string[] = [];
  for (const uri of uris) {
    let verdict: AuthorizeVerdict;
    try {
      const answer = await tryAuthorize(api, ctx.clientId, uri);
      verdict = classifyAuthorizeAnswer(answer.status, answer.location, answer.body);
    } catch (error) {
      return fail(id, title, `Could not reach WorkOS at ${api.origin}: ${(error as Error).message}`, unreachableFix(ctx));
    }
    if (verdict.kind === 'unregistered') {
      return fail(
        id,
        title,
        `WorkOS refuses to sign users in with the redirect URI ${uri} (${verdict.detail}): it is not registered for this environment.`,
        `WorkOS dashboard → Redirects → Redirect URIs: add ${uri}`,
      );
    }
    if (verdict.kind === 'client') {
      return fail(id, title, `WorkOS refuses the client ID ${ctx.clientId} (${verdict.detail}).`, `Copy the client ID from the same WorkOS environment as the API key (dashboard → API Keys) into ${ctx.envFile}.`);
    }
    if (verdict.kind === 'unknown') {
      return warn(id, title, `Could not tell whether ${uri} is registered: the sign-in URL ${verdict.detail}.`, `Open ${new URL(uri).origin}/sign-in in a browser; if WorkOS shows "Invalid redirect URI", add ${uri} under WorkOS dashboard → Redirects.`);
    }
    ok.push(uri);
  }
  return pass(id, title, ok.join(', '));
};

export const webhookEndpoint: Check = async (ctx) => {
  const id = 'workos.webhook';
  const title = `WorkOS webhook endpoint exists, is enabled, and sends all ${WEBHOOK_EVENTS.length} events`;
  if (!ctx.hasWebhooks) return skip(id, title, 'this project has no webhooks');
  if (ctx.noAccount) return skip(id, title, 'a project without an account: WorkOS cannot reach its local deployment (`npx create-authkit-convex claim` registers the webhook)');
  if (!ctx.apiKey || !ctx.clientId) return skip(id, title, noKeys(ctx));
  const url = ctx.webhookUrl;
  if (!url) return skip(id, title, `${ctx.envFile} has no NEXT_PUBLIC_CONVEX_SITE_URL (see above)`);
  const api = await ctx.workos();
  let all;
  try {
    all = await listWebhookEndpoints(api);
  } catch (error) {
    if (classify(error) === 'unauthorized') return skip(id, title, 'WorkOS rejected the API key (see above)');
    return fail(id, title, `Could not list the webhook endpoints: ${(error as Error).message}`, unreachableFix(ctx));
  }
  const mine = all.filter((e) => e.endpointUrl === url);
  // The sync's events and those the project's features handle too (organizations' invitations).
  const expected = [...WEBHOOK_EVENTS, ...extraWebhookEvents(Object.fromEntries(ctx.features.map((id) => [id, true])))];
  const events = expected.join(', ');
  if (mine.length === 0) {
    const elsewhere = all.filter((e) => e.endpointUrl.endsWith(new URL(url).pathname)).map((e) => e.endpointUrl);
    return fail(
      id,
      title,
      `WorkOS has no webhook endpoint for ${url}${elsewhere.length ? ` (it has ${elsewhere.join(', ')}: another deployment?)` : ''}, so no user or organization change reaches Convex.`,
      `${ctx.repairWebhook} (it creates the endpoint for ${url} with events ${events}, and sets its signing secret on the deployment)`,
    );
  }
  const endpoint = mine[0]!;
  if (endpoint.status !== 'enabled') {
    return fail(id, title, `The webhook endpoint for ${url} is ${endpoint.status}: WorkOS sends it nothing.`, `WorkOS dashboard → Webhooks → ${url} → Enable`);
  }
  const missing = expected.filter((e) => !endpoint.events.includes(e));
  if (missing.length > 0) {
    return fail(id, title, `The webhook endpoint for ${url} does not send ${missing.join(', ')}: those changes never reach Convex.`, `WorkOS dashboard → Webhooks → ${url} → Events: add ${missing.join(', ')}`);
  }
  if (mine.length > 1) {
    return warn(id, title, `${mine.length} endpoints send to ${url}; only one's signing secret can be WORKOS_WEBHOOK_SECRET, the others' deliveries fail.`, `WorkOS dashboard → Webhooks: delete all but the endpoint whose secret the deployment holds (${mine.map((e) => e.id).join(', ')}).`);
  }
  return pass(id, title, `${endpoint.id} → ${url}`);
};
