/** Our WorkOS module (through the real SDK) against the WorkOS stand-in. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { configureEnvironment, connectWorkOS, ensureWebhookEndpoint, verifyKeys, WEBHOOK_EVENTS } from '../../src/systems/workos.js';
import { startWorkOSStandIn } from '../world/workos/index.js';

let workos: Awaited<ReturnType<typeof startWorkOSStandIn>>;
const saved = { ...process.env };

beforeAll(async () => {
  workos = await startWorkOSStandIn({ homepageRejectsLocalhost: true });
  Object.assign(process.env, workos.sdkEnv());
});
afterEach(() => workos.clearFaults());
afterAll(async () => {
  process.env = saved;
  await workos.close();
});

const api = (key = workos.apiKey) => connectWorkOS(key, workos.clientId);

describe('verifyKeys', () => {
  it('accepts the right key and client ID', async () => {
    await expect(verifyKeys(await api(), workos.clientId)).resolves.toBeUndefined();
  });

  it('names a rejected key and an unknown client ID as usage errors', async () => {
    const badKey = await verifyKeys(await api('sk_test_wrongwrongwrong'), workos.clientId).catch((e) => e);
    expect(badKey).toBeInstanceOf(UsageError);
    expect(badKey.message).toMatch(/rejected the API key/);
    const badClient = await verifyKeys(await api(), 'client_01NOSUCHCLIENT').catch((e) => e);
    expect(badClient).toBeInstanceOf(UsageError);
    expect(badClient.message).toContain('client_01NOSUCHCLIENT');
  });

  it('tells an unreachable API apart, with a fix', async () => {
    workos.fail({ path: '/webhook_endpoints' }, { drop: true, times: 10 });
    const error = await verifyKeys(await api(), workos.clientId).catch((e) => e);
    expect(error).not.toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/could not reach the WorkOS API/);
    expect(error.fix).toMatch(/network/);
  }, 30_000);
});

describe('configureEnvironment', () => {
  it('registers both redirect URIs and the CORS origin, idempotently, and reports what needs the dashboard', async () => {
    const first = await configureEnvironment(await api(), 'http://localhost:3000/callback');
    const second = await configureEnvironment(await api(), 'http://localhost:3000/callback');
    expect(workos.state.redirectUris.sort()).toEqual(['http://localhost:3000/callback', 'http://localhost:3000/callback/oauth']);
    expect(workos.state.corsOrigins).toEqual(['http://localhost:3000']);
    // This stand-in refuses localhost homepages, as WorkOS may: it becomes a dashboard step, not a failure.
    expect(first.dashboardSteps.join('\n')).toMatch(/App homepage URL/);
    expect(second.dashboardSteps.join('\n')).toMatch(/Sign-in endpoint: set it to http:\/\/localhost:3000\/sign-in/);
    expect(second.dashboardSteps.join('\n')).toContain('Logout redirects: add http://localhost:3000/ ');
  });
});

describe('ensureWebhookEndpoint', () => {
  const url = 'https://happy-otter-123.convex.site/workos/webhook';

  it('creates one endpoint with every event and returns its secret', async () => {
    const outcome = await ensureWebhookEndpoint(await api(), url, false);
    expect(outcome.action).toBe('created');
    const endpoints = workos.state.webhookEndpoints.filter((e) => e.endpoint_url === url);
    expect(endpoints).toHaveLength(1);
    expect(outcome.secret).toBe(endpoints[0]!.secret);
    expect([...endpoints[0]!.events].sort()).toEqual([...WEBHOOK_EVENTS].sort());
  });

  it('keeps the endpoint when the deployment already has its secret', async () => {
    const outcome = await ensureWebhookEndpoint(await api(), url, true);
    expect(outcome.action).toBe('kept');
    expect(outcome.secret).toBeUndefined();
    expect(workos.state.webhookEndpoints.filter((e) => e.endpoint_url === url)).toHaveLength(1);
  });

  it('replaces it when the secret is unknown, never leaving two', async () => {
    const before = workos.state.webhookEndpoints.find((e) => e.endpoint_url === url)!;
    const outcome = await ensureWebhookEndpoint(await api(), url, false);
    expect(outcome.action).toBe('recreated');
    const endpoints = workos.state.webhookEndpoints.filter((e) => e.endpoint_url === url);
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]!.id).not.toBe(before.id);
    expect(outcome.secret).toBe(endpoints[0]!.secret);
  });
});
