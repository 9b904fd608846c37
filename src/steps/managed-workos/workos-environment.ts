import type { Context, Step } from '../../context.js';
import { addSecret } from '../../secrets.js';
import { ConvexApiError, getOrProvisionEnvironment, hasAssociatedWorkosTeam } from '../../systems/convex-workos.js';
import { connectWorkOS, verifyKeys } from '../../systems/workos.js';
import { requireDeployment } from '../provision-convex.js';
import { devOnly } from '../production/scope.js';
import { ensureWorkosTeam } from './team.js';

/**
 * Convex-managed WorkOS, second part: the dev deployment's WorkOS environment, from Convex (the same
 * one on every call). Its client ID and API key then serve the rest of the run exactly as keys the
 * user gave would: .env.local, the WorkOS settings and webhook, and the one call that sets the
 * deployment's variables. Nothing is set on the deployment here, so no variable is ever set twice.
 */
export const workosEnvironment: Step = {
  id: 'workos-environment',
  title: 'Get the WorkOS environment from Convex',
  // Every run: the key lives in .env.local and memory only, and a resumed run needs it again.
  always: true,
  appliesTo: (ctx) => devOnly(ctx) && ctx.options.workosManaged,
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the Convex deployment (--no-install)'),
  describe: () => "get (or create) the dev deployment's WorkOS environment through Convex, and check its keys",
  async run(ctx) {
    // A project resumed with --workos-managed started without it: the manifest says so from now on.
    ctx.manifest.options.workosManaged = true;
    const detail = ctx.options.workosApiKey && ctx.options.workosClientId ? `environment of ${ctx.options.workosClientId} (from .env.local)` : await provision(ctx);
    ctx.workos = await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs);
    await verifyKeys(ctx.workos, ctx.options.workosClientId);
    return detail;
  },
};

async function provision(ctx: Context): Promise<string> {
  const { deployment } = await requireDeployment(ctx);
  const name = deployment?.replace(/^[a-z]+:/, '');
  if (!name) throw new Error('.env.local names no Convex cloud deployment (CONVEX_DEPLOYMENT)');
  // The convex CLI's order: the deployment's team must have a WorkOS team (a resumed run may not have checked).
  const link = await hasAssociatedWorkosTeam(name, ctx.timeoutMs);
  if (!link.hasAssociatedWorkosTeam) await ensureWorkosTeam(ctx, link.teamId, ctx.convexTeam ?? ctx.manifest.convexProject?.team ?? `#${link.teamId}`);
  let env;
  try {
    env = await getOrProvisionEnvironment(name, ctx.timeoutMs);
  } catch (error) {
    if (error instanceof ConvexApiError && error.code === 'WorkOSTeamNotProvisioned') {
      throw Object.assign(new Error(`Convex has no WorkOS team for this deployment's team (it may have been disconnected): ${error.message}`), {
        fix: 'Run the same command again: it links a WorkOS team first (or run `npx convex integration workos provision-team` once).',
      });
    }
    throw error;
  }
  addSecret(env.apiKey);
  ctx.options.workosApiKey = env.apiKey;
  ctx.options.workosClientId = env.clientId;
  // The client ID is recorded like a given one (it is not a secret); the key goes to .env.local only.
  ctx.manifest.options.workosClientId = env.clientId;
  ctx.manifest.workosEnvironment = { id: env.environmentId, name: env.environmentName };
  return `${env.newlyProvisioned ? 'created' : 'reusing'} ${env.environmentName} (${env.clientId})`;
}
