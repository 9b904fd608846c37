import type { Step } from '../../context.js';
import { deployToProd, diagnosePush } from '../../systems/convex.js';
import { CommandFailedError } from '../../systems/runner.js';
import { productionOnly } from './scope.js';

export const deployProduction: Step = {
  id: 'production-deploy',
  title: 'Deploy the functions to production',
  appliesTo: productionOnly,
  describe: () => 'convex deploy: type-check and deploy convex/ to the production deployment, now that its variables exist',
  async run(ctx) {
    try {
      await deployToProd(ctx.projectDir, { timeoutMs: ctx.timeoutMs });
    } catch (error) {
      if (error instanceof CommandFailedError && error.result.exitCode !== 130 && !error.timedOut) {
        error.fix = diagnosePush(error.result.output)?.replace('npx convex env set', 'npx convex env set --prod') ??
          'Fix the error above (in convex/), then run the same command again: it resumes at the deploy.';
      }
      throw error;
    }
  },
};
