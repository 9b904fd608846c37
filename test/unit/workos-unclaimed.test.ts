/**
 * Unclaimed WorkOS environments (the half of --no-account that exists): made and claimed against the
 * WorkOS stand-in's one-shot routes, with the shapes the official `workos` CLI reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/secrets.js';
import { checkApiKey, connectWorkOS } from '../../src/systems/workos.js';
import { claimNonce, claimUrl, createUnclaimedEnvironment, UnclaimedEnvironmentError } from '../../src/systems/workos-unclaimed.js';
import { startWorkOSStandIn, type WorkOSStandIn } from '../world/workos/index.js';

let workos: WorkOSStandIn;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  workos = await startWorkOSStandIn();
  for (const [k, v] of Object.entries(workos.sdkEnv())) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await workos.close();
});

describe('an unclaimed WorkOS environment', () => {
  it('is made without any key; its key and client ID work, and the key and claim token are secrets', async () => {
    const env = await createUnclaimedEnvironment(10_000);
    expect(env.clientId).toMatch(/^client_/);
    expect(env.apiKey).toMatch(/^sk_test_/);
    expect(env.authkitDomain).toMatch(/\.authkit\.app$/);
    const made = workos.requests.find((r) => r.path === '/x/one-shot-environments')!;
    expect(made.auth).toBe('none');
    // A real environment: the management API takes its key.
    await checkApiKey(await connectWorkOS(env.apiKey, env.clientId, 10_000));
    expect(workos.oneShot.made.map((m) => m.env.clientId)).toContain(env.clientId);
    expect(redact(`key ${env.apiKey} token ${env.claimToken}`)).not.toContain(env.apiKey);
    expect(redact(`token ${env.claimToken}`)).not.toContain(env.claimToken);
  });

  it('gives a claim link while unclaimed, and says claimed once the user finished it in the dashboard', async () => {
    const env = await createUnclaimedEnvironment(10_000);
    const first = await claimNonce(env.clientId, env.claimToken, 10_000);
    expect(first.claimed).toBe(false);
    const nonce = (first as { nonce: string }).nonce;
    expect(claimUrl(nonce)).toBe(`https://dashboard.workos.com/claim?nonce=${nonce}`);
    const sent = workos.requests.filter((r) => r.path === '/x/one-shot-environments/claim-nonces').at(-1)!;
    expect(sent.body).toMatchObject({ client_id: env.clientId });
    expect(await claimNonce(env.clientId, env.claimToken, 10_000)).toMatchObject({ claimed: false });
    expect(workos.oneShot.claim(nonce)).toBe(true);
    expect(await claimNonce(env.clientId, env.claimToken, 10_000)).toEqual({ claimed: true });
  });

  it('an unknown client ID is an error naming it', async () => {
    const error = await claimNonce('client_01UNKNOWN', 'ct_x', 10_000).catch((e) => e);
    expect(error).toBeInstanceOf(UnclaimedEnvironmentError);
    expect(error.status).toBe(404);
    expect(error.message).toContain('client_01UNKNOWN');
  });

  it('WorkOS busy: a clear error with the status', async () => {
    workos.fail({ method: 'POST', path: '/x/one-shot-environments' }, { status: 429 });
    const error = await createUnclaimedEnvironment(10_000).catch((e) => e);
    workos.clearFaults();
    expect(error).toBeInstanceOf(UnclaimedEnvironmentError);
    expect(error.status).toBe(429);
    expect(error.message).toContain('rate limited');
  });
});
