/** Webhook endpoints (the management routes) and delivering signed events to them. */
import { createHmac } from 'node:crypto';
import { CreateWebhookEndpointEvents } from '@workos-inc/node';
import { isHttpUrl } from './checks.js';
import { ok, type ApiRequest, type Out, type WorkOSContext } from './context.js';
import { ApiError, notFound, unprocessable } from './errors.js';
import { newId, nowIso, randomToken } from './ids.js';
import { paginate } from './paginate.js';
import type { StandInState, WebhookEndpoint } from './types.js';

/** The events an endpoint may subscribe to: the list the SDK publishes (the API refuses others). */
const KNOWN_EVENTS = new Set<string>(Object.values(CreateWebhookEndpointEvents));

function checkEvents(events: string[]): void {
  const unknown = events.filter((e) => !KNOWN_EVENTS.has(e));
  if (unknown.length > 0)
    throw unprocessable('Validation failed', [{ field: 'events', code: `unknown event: ${unknown.join(', ')}` }]);
}

/** /webhook_endpoints: list, create (409 for a URL already registered), get, update, delete. */
export function webhookEndpointRoutes(ctx: WorkOSContext, { method, path, query, body }: ApiRequest): Out | undefined {
  const { state, opts } = ctx;
  let m: RegExpExecArray | null;

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
      checkEvents(events as string[]);
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
        checkEvents(body.events as string[]);
        we.events = body.events as string[];
      }
      we.updated_at = nowIso();
      return ok(endpointView(we, !!opts.revealWebhookSecretsInList));
    }
  }
  return undefined;
}

/** Only the create answer carries the secret, unless the stand-in reveals it (`revealWebhookSecretsInList`). */
function endpointView(e: WebhookEndpoint, withSecret: boolean) {
  if (withSecret) return { ...e };
  const { secret: _secret, ...rest } = e;
  return rest;
}

/** Posts a signed event to `url` as WorkOS does (`WorkOS-Signature: t=…, v1=hmac(t.body)`). */
export async function deliverWebhook(
  state: StandInState,
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
