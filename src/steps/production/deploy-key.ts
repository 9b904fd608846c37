import type { Step } from '../../context.js';
import { ENV } from '../../env-names.js';
import { readEnvFile } from '../../files/env-file.js';
import { createProdDeployKey } from '../../systems/convex.js';
import { PRODUCTION_ENV_FILE } from './hosting.js';
import { production, productionOnly } from './scope.js';

export const createProductionDeployKey: Step = {
  id: 'production-deploy-key',
  title: 'Create a deploy key for the hosting provider',
  // Every run checks that the saved key is for this deployment; a new one is made only when it is not.
  always: true,
  appliesTo: productionOnly,
  describe: () => `a deploy key for the production deployment (convex deployment token create --deployment prod), for ${PRODUCTION_ENV_FILE}`,
  async run(ctx) {
    const state = production(ctx);
    const saved = (await readEnvFile(ctx.projectDir, PRODUCTION_ENV_FILE))[ENV.convexDeployKey];
    if (saved?.startsWith(`prod:${state.deployment!.name}|`)) {
      state.deployKey = saved;
      return 'kept the saved one';
    }
    state.deployKey = await createProdDeployKey(ctx.projectDir, 'create-authkit-convex hosting', { timeoutMs: ctx.timeoutMs });
    return `for ${state.deployment!.name}`;
  },
};
