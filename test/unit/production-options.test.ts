/**
 * The checks an --add-production run makes before any step: a staging environment's sk_test_ key is
 * taken with --allow-test-keys only, the dev keys of .env.local never, and the production auth domain
 * is the one given or production's own, never dev's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Manifest } from '../../src/manifest.js';
import { checkProductionKeys, productionAuthDomain } from '../../src/options/production.js';
import type { Options } from '../../src/options/schema.js';
import type { Target } from '../../src/target.js';

const dev = { key: 'sk_test_devEnvironmentKey0001', clientId: 'client_01DEVENVIRONMENT1' };
const staging = { key: 'sk_test_stagingEnvironment02', clientId: 'client_01STAGINGENVIRON2' };

function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cak-prod-options-'));
  writeFileSync(path.join(dir, '.env.local'), `WORKOS_API_KEY=${dev.key}\nWORKOS_CLIENT_ID=${dev.clientId}\n`);
  return dir;
}
const options = (o: Partial<Options>) => ({ allowTestKeys: false, ...o }) as Options;

describe('checkProductionKeys', () => {
  it('refuses an sk_test_ key, and takes a staging one with --allow-test-keys', async () => {
    const dir = project();
    const refused = await checkProductionKeys(options({ workosApiKey: staging.key, workosClientId: staging.clientId }), dir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).fix).toContain('--allow-test-keys');
    await expect(checkProductionKeys(options({ workosApiKey: staging.key, workosClientId: staging.clientId, allowTestKeys: true }), dir)).resolves.toBeUndefined();
  });

  it('refuses the dev keys of .env.local even with --allow-test-keys', async () => {
    const error = await checkProductionKeys(options({ workosApiKey: dev.key, workosClientId: staging.clientId, allowTestKeys: true }), project()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/dev environment/);
  });
});

describe('productionAuthDomain', () => {
  const target = (production?: Partial<NonNullable<Manifest['production']>>) =>
    ({ existing: { options: { workosAuthDomain: 'auth-dev.example.com' }, ...(production ? { production: { domain: 'app.example.com', deploymentEnv: [], ...production } } : {}) } }) as unknown as Target;

  it("is the one given, else production's own, never dev's", () => {
    const given = options({ workosAuthDomain: 'auth.example.com' });
    expect(productionAuthDomain({ workosAuthDomain: 'auth.example.com' }, given, target())).toBe('auth.example.com');
    // Without the flag, the options hold dev's (the manifest's fallback): production does not take it.
    const fallback = options({ workosAuthDomain: 'auth-dev.example.com' });
    expect(productionAuthDomain({}, fallback, target())).toBeUndefined();
    expect(productionAuthDomain({}, fallback, target({ authDomain: 'auth.example.com' }))).toBe('auth.example.com');
  });
});
