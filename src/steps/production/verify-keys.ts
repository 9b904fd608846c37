import type { Step } from '../../context.js';
import { connectWorkOS, verifyKeys } from '../../systems/workos.js';
import { productionOnly } from './scope.js';

/** The production keys (the sk_test_ refusal came before any step: options/production.ts). */
export const verifyProductionKeys: Step = {
  id: 'production-verify-workos',
  title: 'Verify the production WorkOS keys',
  always: true,
  appliesTo: productionOnly,
  describe: () => 'check the production environment\'s API key and client ID with WorkOS before creating anything',
  async run(ctx) {
    ctx.workos = await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs);
    await verifyKeys(ctx.workos, ctx.options.workosClientId);
    // The record a rerun reuses (never a secret); a new domain or client ID replaces the old one.
    const earlier = ctx.manifest.production;
    ctx.manifest.production = {
      deploymentEnv: [],
      ...earlier,
      domain: ctx.options.domain!,
      clientId: ctx.options.workosClientId,
      ...(ctx.options.workosAuthDomain ? { authDomain: ctx.options.workosAuthDomain } : {}),
    };
    return ctx.options.workosApiKey.startsWith('sk_live_') ? 'production environment' : 'test key allowed (--allow-test-keys)';
  },
};
