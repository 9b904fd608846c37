/** WorkOS users and organizations synced into Convex through a signed webhook (and a backfill). */
import { ENV } from '../env-names.js';
import type { Feature } from './types.js';

export const feature: Feature = {
  id: 'webhooks',
  order: 10,
  option: {
    default: true,
    description: 'Sync WorkOS users and organizations into Convex through a webhook (default; --no-webhooks to leave out)',
    addDescription: 'Add the webhook user/organization sync to an existing project',
  },
  // --add-webhooks on a project that has them re-registers the endpoint and sets its secret again.
  addAgainRepairs: true,
  scripts: { backfill: 'convex run workos/backfill:run' },
  vars: [
    // The webhook handler and the backfill call WorkOS with the API key (nothing else on the deployment does).
    { name: ENV.workosApiKey, where: 'deployment', secret: true, value: (ctx) => ctx.options.workosApiKey },
    // The secret WorkOS returned when the endpoint was made (this run): the webhook handler verifies with it.
    { name: ENV.workosWebhookSecret, where: 'deployment', secret: true, value: (ctx) => ctx.webhookSecret },
  ],
  workos: { webhookEndpoint: true },
  async doctorChecks() {
    const { localVar } = await import('../doctor/checks/local-env.js');
    const { deploymentApiKey, deploymentWebhookSecret } = await import('../doctor/checks/deployment.js');
    const { webhookEndpoint } = await import('../doctor/checks/workos.js');
    return { local: [localVar(ENV.convexSiteUrl)], deployment: [deploymentApiKey, deploymentWebhookSecret], workos: [webhookEndpoint] };
  },
  // Its files (a push follows when convex/ changed); WorkOS and the deployment are set up on every run.
  rerun: ['templates'],
};
