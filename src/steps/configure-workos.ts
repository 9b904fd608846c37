import type { Context, Step } from '../context.js';
import { listDeploymentEnv } from '../systems/convex.js';
import { configureEnvironment, connectWorkOS, ensureWebhookEndpoint, WEBHOOK_PATH } from '../systems/workos.js';
import { ENV } from '../env-names.js';
import { chosenFeatures, extraWebhookEvents } from '../features/index.js';
import { addSecret } from '../secrets.js';
import { requireDeployment } from './provision-convex.js';
import { devOnly } from './production/scope.js';

/**
 * Whether a chosen feature needs the webhook endpoint (today: webhooks). Not with --no-account: WorkOS
 * cannot reach a deployment on this computer (`claim` registers it once the deployment is in the cloud).
 */
const wantsWebhook = (ctx: Context) => ctx.options.account !== false && chosenFeatures(ctx.options).some((f) => f.workos?.webhookEndpoint);

export const configureWorkos: Step = {
  id: 'configure-workos',
  title: 'Configure WorkOS',
  // Idempotent, and a resumed run must recover a webhook secret that an earlier run lost: every run.
  always: true,
  appliesTo: devOnly,
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the Convex deployment (--no-install)'),
  describe: (ctx) =>
    `redirect URI ${ctx.options.redirectUri}, CORS origin and homepage` +
    (wantsWebhook(ctx) ? `; webhook endpoint at <deployment site URL>${WEBHOOK_PATH}` : ''),
  async run(ctx) {
    const api = (ctx.workos ??= await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs));
    const { dashboardSteps } = await configureEnvironment(api, ctx.options.redirectUri);
    ctx.dashboardSteps = dashboardSteps;
    if (!wantsWebhook(ctx)) return 'redirect URIs, CORS, homepage';
    const { siteUrl } = await requireDeployment(ctx);
    const endpointUrl = siteUrl.replace(/\/$/, '') + WEBHOOK_PATH;
    const deploymentEnv = (ctx.deploymentEnv = await listDeploymentEnv(ctx.projectDir, { timeoutMs: ctx.timeoutMs }));
    const outcome = await ensureWebhookEndpoint(api, endpointUrl, Boolean(deploymentEnv[ENV.workosWebhookSecret]), extraWebhookEvents(ctx.options));
    if (outcome.secret) {
      addSecret(outcome.secret);
      ctx.webhookSecret = outcome.secret;
    }
    return `webhook ${outcome.action}: ${endpointUrl}`;
  },
};
