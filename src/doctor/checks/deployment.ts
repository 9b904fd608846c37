/** The Convex side: the deployment holds what auth.config and the webhook read (PITFALLS 7–9). */
import { ENV } from '../../env-names.js';
import { deploymentName } from '../../systems/convex.js';
import { CommandFailedError } from '../../systems/runner.js';
import { WEBHOOK_EVENTS } from '../../systems/workos.js';
import type { DoctorContext } from '../context.js';
import { fail, pass, skip, warn, type Check, type CheckResult } from '../types.js';

const SEE_DEPLOYMENT = 'the deployment could not be read (see "Convex deployment answers")';

/** The last few meaningful lines of a failed CLI run, for the cause line. */
export function cliFailure(error: unknown): string {
  if (error instanceof CommandFailedError) {
    const lines = error.result.output.split('\n').map((l) => l.trim()).filter((l) => l && !/^\s*at /.test(l));
    return `${error.message}: ${lines.slice(-3).join(' / ') || 'no output'}`;
  }
  return (error as Error)?.message ?? String(error);
}

export const deploymentReachable: Check = async (ctx) => {
  const id = 'deployment';
  const title = 'Convex deployment answers (npx convex env list)';
  try {
    const env = await ctx.deploymentEnv();
    const which = deploymentName(ctx.localEnv) || process.env[ENV.convexSelfHostedUrl];
    return pass(id, title, `${which ? `${which}, ` : ''}${Object.keys(env).length} variables`);
  } catch (error) {
    const noDeployment = !deploymentName(ctx.localEnv) && !deploymentName(process.env);
    return fail(
      id,
      title,
      noDeployment ? `${ctx.envFile} names no deployment (no CONVEX_DEPLOYMENT), so the convex CLI cannot find it.` : `The convex CLI could not read the deployment's variables: ${cliFailure(error)}`,
      noDeployment
        ? 'Run npx convex dev --once and choose the project\'s deployment: it writes CONVEX_DEPLOYMENT to .env.local.'
        : 'Run npx convex env list yourself to see the full error (not logged in? npx convex login), fix it, then run doctor again.',
    );
  }
};

async function deploymentEnvOrSkip(ctx: DoctorContext, id: string, title: string): Promise<Record<string, string> | CheckResult> {
  try {
    return await ctx.deploymentEnv();
  } catch {
    return skip(id, title, SEE_DEPLOYMENT);
  }
}
const isResult = (x: unknown): x is CheckResult => Boolean(x) && typeof (x as CheckResult).id === 'string';

export const deploymentClientId: Check = async (ctx) => {
  const id = 'deployment.WORKOS_CLIENT_ID';
  const title = `Deployment's WORKOS_CLIENT_ID equals ${ctx.envFile}'s`;
  const env = await deploymentEnvOrSkip(ctx, id, title);
  if (isResult(env)) return env;
  const local = ctx.clientId ?? 'client_…';
  const value = env[ENV.workosClientId];
  if (!value) {
    return fail(
      id,
      title,
      'The deployment has no WORKOS_CLIENT_ID: auth.config.ts cannot build its providers, and Convex refuses the push (AuthConfigMissingEnvironmentVariable).',
      `npx convex env set${ctx.convexTarget} WORKOS_CLIENT_ID ${local}`,
    );
  }
  if (ctx.clientId && value !== ctx.clientId) {
    return fail(
      id,
      title,
      `The deployment has WORKOS_CLIENT_ID ${value}, ${ctx.envFile} has ${ctx.clientId}: the app signs users in with ${ctx.clientId}, Convex only trusts tokens of ${value}.`,
      `npx convex env set${ctx.convexTarget} WORKOS_CLIENT_ID ${ctx.clientId} (or, if ${value} is the right one, put it in ${ctx.envFile}), then npx convex dev --once`,
    );
  }
  return pass(id, title, value);
};

export const deploymentApiKey: Check = async (ctx) => {
  const id = 'deployment.WORKOS_API_KEY';
  const title = 'Deployment has WORKOS_API_KEY';
  // Only the webhook's functions call WorkOS from the deployment.
  if (!ctx.hasWebhooks) return skip(id, title, 'this project has no webhooks, so nothing on the deployment calls WorkOS');
  const env = await deploymentEnvOrSkip(ctx, id, title);
  if (isResult(env)) return env;
  const fix = `npx convex env set${ctx.convexTarget} WORKOS_API_KEY (give no value: it asks for it; paste WORKOS_API_KEY from ${ctx.envFile})`;
  if (!env[ENV.workosApiKey]) return fail(id, title, 'The deployment has no WORKOS_API_KEY, which the webhook and the backfill use to call WorkOS.', fix);
  if (ctx.apiKey && env[ENV.workosApiKey] !== ctx.apiKey) {
    return warn(id, title, `The deployment's WORKOS_API_KEY differs from ${ctx.envFile}'s (another key of the same environment is fine; a key of another environment is not).`, fix);
  }
  return pass(id, title);
};

export const deploymentWebhookSecret: Check = async (ctx) => {
  const id = 'deployment.WORKOS_WEBHOOK_SECRET';
  const title = 'Deployment has WORKOS_WEBHOOK_SECRET';
  if (!ctx.hasWebhooks) return skip(id, title, 'this project has no webhooks');
  if (ctx.noAccount) return skip(id, title, 'a project without an account: WorkOS cannot reach its local deployment (`npx create-authkit-convex claim` registers the webhook)');
  const env = await deploymentEnvOrSkip(ctx, id, title);
  if (isResult(env)) return env;
  if (!env[ENV.workosWebhookSecret]) {
    return fail(
      id,
      title,
      `The deployment has no WORKOS_WEBHOOK_SECRET, so ${ctx.webhookUrl ?? 'the webhook'} refuses every WorkOS event (${WEBHOOK_EVENTS.length} kinds): users and organizations stop syncing.`,
      `${ctx.repairWebhook} (it replaces the endpoint with one whose signing secret it sets on the deployment)`,
    );
  }
  return pass(id, title);
};
