import type { Step } from '../context.js';
import { listDeploymentEnv } from '../systems/convex.js';
import { configureEnvironment, connectWorkOS, ensureWebhookEndpoint, WEBHOOK_PATH } from '../systems/workos.js';
import { addSecret } from '../secrets.js';
import { requireDeployment } from './provision-convex.js';

export const configureWorkos: Step = {
  id: 'configure-workos',
  title: 'Configure WorkOS',
  // Idempotent, and a resumed run must recover a webhook secret that an earlier run lost: every run.
  always: true,
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the Convex deployment (--no-install)'),
  describe: (ctx) =>
    `redirect URI ${ctx.options.redirectUri}, CORS origin and homepage` +
    (ctx.options.webhooks ? `; webhook endpoint at <deployment site URL>${WEBHOOK_PATH}` : ''),
  async run(ctx) {
    const api = (ctx.workos ??= await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs));
    const { dashboardSteps } = await configureEnvironment(api, ctx.options.redirectUri);
    ctx.dashboardSteps = dashboardSteps;
    if (!ctx.options.webhooks) return 'redirect URIs, CORS, homepage';
    const { siteUrl } = await requireDeployment(ctx);
    const endpointUrl = siteUrl.replace(/\/$/, '') + WEBHOOK_PATH;
    const deploymentEnv = (ctx.deploymentEnv = await listDeploymentEnv(ctx.projectDir, { timeoutMs: ctx.timeoutMs }));
    const outcome = await ensureWebhookEndpoint(api, endpointUrl, Boolean(deploymentEnv.WORKOS_WEBHOOK_SECRET));
    if (outcome.secret) {
      addSecret(outcome.secret);
      ctx.webhookSecret = outcome.secret;
    }
    return `webhook ${outcome.action}: ${endpointUrl}`;
  },
};
