import type { Step } from '../../context.js';
import { ENV } from '../../env-names.js';
import { readEnvFile } from '../../files/env-file.js';
import { connectWorkOS, verifyKeys } from '../../systems/workos.js';
import { previewsChosen, setPreviewKeys } from './keys.js';

/**
 * First of all: keys given with --add-previews are the previews' own, so they are taken aside (and
 * verified) and the rest of the run keeps the dev keys of .env.local, which it never changes.
 */
export const takePreviewKeys: Step = {
  id: 'previews-keys',
  title: 'Take the WorkOS keys for preview deployments',
  always: true,
  appliesTo: (ctx) => previewsChosen(ctx.options),
  describe: () => 'the dev keys of .env.local, or the non-production keys given with --add-previews (verified)',
  async run(ctx) {
    const given = { apiKey: ctx.options.workosApiKey, clientId: ctx.options.workosClientId };
    const local = await readEnvFile(ctx.projectDir);
    const dev = { apiKey: local[ENV.workosApiKey], clientId: local[ENV.workosClientId] };
    setPreviewKeys(ctx, given);
    if (!dev.apiKey || !dev.clientId || (dev.apiKey === given.apiKey && dev.clientId === given.clientId)) return 'the dev environment\'s keys';
    await verifyKeys(await connectWorkOS(given.apiKey, given.clientId, ctx.timeoutMs), given.clientId);
    ctx.options.workosApiKey = dev.apiKey;
    ctx.options.workosClientId = dev.clientId;
    ctx.manifest.options.workosClientId = dev.clientId;
    return `client ${given.clientId} (verified); dev keeps its own`;
  },
};
