import type { Context, Step } from '../../context.js';
import { ENV } from '../../env-names.js';
import { chosenFeatures, extraWebhookEvents } from '../../features/index.js';
import { listDeploymentEnv } from '../../systems/convex.js';
import { connectWorkOS, ensureWebhookEndpoint, WEBHOOK_PATH } from '../../systems/workos.js';
import { production, productionOnly, productionRecord } from './scope.js';

const wantsWebhook = (ctx: Context) => chosenFeatures(ctx.options).some((f) => f.workos?.webhookEndpoint);

export const registerProductionWebhook: Step = {
  id: 'production-webhook',
  title: 'Register the production webhook endpoint',
  // One endpoint per URL, found again on every run (and replaced only if its secret is lost).
  always: true,
  appliesTo: productionOnly,
  skipReason: (ctx) => (wantsWebhook(ctx) ? undefined : 'the project has no webhooks'),
  describe: () => `one endpoint at <production site URL>${WEBHOOK_PATH}, with the dev endpoint's events`,
  async run(ctx) {
    const api = (ctx.workos ??= await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs));
    const state = production(ctx);
    const endpointUrl = state.deployment!.siteUrl.replace(/\/$/, '') + WEBHOOK_PATH;
    const env = (state.deploymentEnv = await listDeploymentEnv(ctx.projectDir, { timeoutMs: ctx.timeoutMs, deployment: 'prod' }));
    const outcome = await ensureWebhookEndpoint(api, endpointUrl, Boolean(env[ENV.workosWebhookSecret]), extraWebhookEvents(ctx.options));
    // The secret (when this run made the endpoint) goes to the production deployment in the next step.
    if (outcome.secret) ctx.webhookSecret = outcome.secret;
    productionRecord(ctx).webhookEndpointId = outcome.endpointId;
    return `${outcome.action}: ${endpointUrl}`;
  },
};
