/**
 * The previews' WorkOS keys, step alone: keys given with --add-previews are verified (against the WorkOS
 * stand-in) and kept for the previews, while the run goes on with the dev keys of .env.local; an
 * sk_live_ key is refused before anything runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { UsageError } from '../../src/errors.js';
import { newManifest } from '../../src/manifest.js';
import { previewKeys, refuseProductionPreviewKeys } from '../../src/steps/previews/keys.js';
import { takePreviewKeys } from '../../src/steps/previews/take-preview-keys.js';
import { startWorkOSStandIn, type WorkOSStandIn } from '../world/workos/index.js';

let workos: WorkOSStandIn;
const saved = { ...process.env };
const dev = { apiKey: 'sk_test_devKeyOfDotEnvLocal000000000', clientId: 'client_01DEVENVIRONMENT000000000' };

beforeAll(async () => {
  workos = await startWorkOSStandIn();
  Object.assign(process.env, workos.sdkEnv());
});
afterAll(async () => {
  process.env = saved;
  await workos?.close();
});

function ctxWith(options: Record<string, unknown>) {
  const projectDir = mkdtempSync(path.join(os.tmpdir(), 'cak-preview-keys-'));
  writeFileSync(path.join(projectDir, '.env.local'), `WORKOS_API_KEY=${dev.apiKey}\nWORKOS_CLIENT_ID=${dev.clientId}\n`);
  const manifest = newManifest('0.0.0', { workosClientId: options.workosClientId });
  return { options, projectDir, manifest, timeoutMs: 10_000 } as unknown as Context;
}

describe('WorkOS keys of preview deployments', () => {
  it('given keys are verified and kept for the previews; the run keeps the dev keys', async () => {
    const ctx = ctxWith({ addPreviews: true, workosApiKey: workos.apiKey, workosClientId: workos.clientId });
    await takePreviewKeys.run(ctx);
    expect(previewKeys(ctx)).toEqual({ apiKey: workos.apiKey, clientId: workos.clientId });
    expect(ctx.options.workosApiKey).toBe(dev.apiKey);
    expect(ctx.options.workosClientId).toBe(dev.clientId);
    expect(ctx.manifest.options.workosClientId).toBe(dev.clientId);
  });

  it('a given key WorkOS rejects fails the step', async () => {
    const ctx = ctxWith({ addPreviews: true, workosApiKey: 'sk_test_notAKeyWorkOSKnows0000000', workosClientId: workos.clientId });
    await expect(takePreviewKeys.run(ctx)).rejects.toThrow();
  });

  it('without given keys, the previews use the dev ones', async () => {
    const ctx = ctxWith({ addPreviews: true, workosApiKey: dev.apiKey, workosClientId: dev.clientId });
    await takePreviewKeys.run(ctx);
    expect(previewKeys(ctx)).toEqual(dev);
    expect(ctx.options.workosApiKey).toBe(dev.apiKey);
  });

  it('an sk_live_ key is refused for previews, and only for previews', () => {
    const live = { workosApiKey: 'sk_live_fake_production_key_000', workosClientId: dev.clientId };
    expect(() => refuseProductionPreviewKeys({ ...live, addPreviews: true } as never)).toThrow(UsageError);
    expect(() => refuseProductionPreviewKeys({ ...live, previews: true } as never)).toThrow(/production WorkOS environment/);
    expect(() => refuseProductionPreviewKeys({ ...live, addSso: true } as never)).not.toThrow();
  });
});
