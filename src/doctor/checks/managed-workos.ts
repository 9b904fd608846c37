/** Convex-managed WorkOS (--workos-managed): the environment Convex made for the dev deployment is still there, and is .env.local's. */
import { ENV } from '../../env-names.js';
import { ENV_FILE } from '../../files/env-file.js';
import { workosEnvironmentHealth } from '../../systems/convex-workos.js';
import { deploymentName } from '../../systems/convex.js';
import { fail, pass, skip, type Check } from '../types.js';

const STATUS = 'npx convex integration workos status';

export const managedEnvironment: Check = async (ctx) => {
  const id = 'workos.managed-environment';
  const title = "Convex still has the deployment's WorkOS environment";
  if (ctx.manifest?.options.workosManaged !== true) return skip(id, title, 'the project uses WorkOS keys of its own (not --workos-managed)');
  if (ctx.envFile !== ENV_FILE) return skip(id, title, 'production uses a WorkOS environment of its own');
  const name = deploymentName(ctx.localEnv)?.replace(/^[a-z]+:/, '');
  if (!name) return skip(id, title, `${ctx.envFile} names no Convex deployment (CONVEX_DEPLOYMENT)`);
  let health;
  try {
    health = await workosEnvironmentHealth(name, 30_000);
  } catch (error) {
    return fail(id, title, `Could not ask Convex about the WorkOS environment: ${(error as Error).message}`, `Check your network and Convex login (npx convex login), then run doctor again; ${STATUS} shows the same.`);
  }
  if (!health) {
    return fail(
      id,
      title,
      `Convex has no WorkOS environment for the deployment ${name} any more (deleted, or its WorkOS team was disconnected).`,
      `See ${STATUS}. To go on with a WorkOS environment of your own, put its keys in ${ENV_FILE} (WORKOS_API_KEY, WORKOS_CLIENT_ID) and on the deployment (npx convex env set WORKOS_CLIENT_ID …, WORKOS_API_KEY).`,
    );
  }
  const local = ctx.localEnv[ENV.workosClientId];
  if (local !== health.clientId) {
    return fail(
      id,
      title,
      `${ENV_FILE}'s WORKOS_CLIENT_ID (${local ?? 'unset'}) is not the client ID of the environment Convex made for ${name} (${health.clientId}).`,
      `Put ${health.clientId} in ${ENV_FILE} as WORKOS_CLIENT_ID and on the deployment (npx convex env set WORKOS_CLIENT_ID ${health.clientId}), with that environment's API key.`,
    );
  }
  return pass(id, title, `${health.name}, ${health.clientId}`);
};
