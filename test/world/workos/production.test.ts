/** The WorkOS stand-in's production environment: `sk_live_` keys, its own settings, no localhost redirect URI. */
import { WorkOS } from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkOSStandIn, type WorkOSStandIn } from './index.js';

let w: WorkOSStandIn;
const sdk = (apiKey: string, clientId: string) => new WorkOS(apiKey, { clientId, apiHostname: w.hostname, port: w.port, https: false, maxRetries: 0 });

beforeAll(async () => {
  w = await startWorkOSStandIn();
});
afterAll(async () => {
  await w.close();
});

describe('production environment', () => {
  it('has its own sk_live_ key and client ID, and its own settings and webhooks', async () => {
    expect(w.production.apiKey).toMatch(/^sk_live_/);
    expect(w.production.clientId).not.toBe(w.clientId);
    const prod = sdk(w.production.apiKey, w.production.clientId);
    await prod.post('/user_management/redirect_uris', { uri: 'https://app.example.com/callback' });
    await prod.post('/user_management/cors_origins', { origin: 'https://app.example.com' });
    await prod.webhooks.createWebhookEndpoint({ endpointUrl: 'https://prod.example/workos/webhook', events: ['user.created'] } as never);
    expect(w.production.state.redirectUris).toEqual(['https://app.example.com/callback']);
    expect(w.production.state.corsOrigins).toEqual(['https://app.example.com']);
    expect(w.production.state.webhookEndpoints).toHaveLength(1);
    expect(w.state.redirectUris).toEqual([]);
    expect(w.state.corsOrigins).toEqual([]);
    expect(w.state.webhookEndpoints).toEqual([]);
    // The staging key sees none of it.
    const staging = await sdk(w.apiKey, w.clientId).webhooks.listWebhookEndpoints();
    expect(staging.data).toEqual([]);
    // Each client ID has its own JWKS.
    expect((await fetch(`${w.origin}/sso/jwks/${w.production.clientId}`)).status).toBe(200);
  });

  it('refuses localhost and http redirect URIs in production, as WorkOS does', async () => {
    const prod = sdk(w.production.apiKey, w.production.clientId);
    for (const uri of ['http://localhost:3000/callback', 'https://localhost/callback', 'http://app.example.com/callback']) {
      await expect(prod.post('/user_management/redirect_uris', { uri })).rejects.toMatchObject({ status: 422 });
    }
    expect(w.production.state.redirectUris).toEqual(['https://app.example.com/callback']);
    // The staging environment still takes localhost.
    await sdk(w.apiKey, w.clientId).post('/user_management/redirect_uris', { uri: 'http://localhost:3000/callback' });
    expect(w.state.redirectUris).toEqual(['http://localhost:3000/callback']);
  });

  it('refuses a key of neither environment', async () => {
    await expect(sdk('sk_live_not_a_key_0000000000', w.production.clientId).webhooks.listWebhookEndpoints()).rejects.toMatchObject({ status: 401 });
  });
});
