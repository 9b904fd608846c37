import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context, Step } from '../../context.js';
import { ENV_FILE, readEnvFile } from '../../files/env-file.js';
import { createProdDeployment, deploymentName, findDefaultProd, prodUrls } from '../../systems/convex.js';
import { production, productionOnly, productionRecord } from './scope.js';

export const provisionProduction: Step = {
  id: 'production-convex',
  title: 'Find or create the production Convex deployment',
  // Looks the deployment up every time: the project's default prod is reused, never made twice.
  always: true,
  appliesTo: productionOnly,
  describe: () => "reuse the project's default production deployment, or create one (convex deployment create --type prod --default) without pushing",
  async run(ctx) {
    const { team, project } = await convexProjectOf(ctx);
    const limit = { timeoutMs: ctx.timeoutMs };
    let action = 'reusing';
    if (!(await findDefaultProd(team, project, ctx.timeoutMs))) {
      await createProdDeployment(ctx.projectDir, limit);
      action = 'created';
    }
    // The dev deployment names the project to the account API (as `npx convex deploy` does).
    const dev = deploymentName(await readEnvFile(ctx.projectDir))?.replace(/^dev:/, '');
    if (!dev) throw new Error(`${ENV_FILE} has no CONVEX_DEPLOYMENT, so the Convex project's production deployment cannot be found`);
    const deployment = (production(ctx).deployment = await prodUrls(dev, ctx.timeoutMs));
    productionRecord(ctx).deployment = deployment;
    return `${action} ${deployment.name}`;
  },
};

/** The Convex team and project: from the manifest, else from the comment the CLI wrote beside CONVEX_DEPLOYMENT. */
async function convexProjectOf(ctx: Context): Promise<{ team: string; project: string }> {
  if (ctx.manifest.convexProject) return { team: ctx.manifest.convexProject.team, project: ctx.manifest.convexProject.slug };
  const text = await readFile(path.join(ctx.projectDir, ENV_FILE), 'utf8').catch(() => '');
  const m = /^\s*CONVEX_DEPLOYMENT=\S+\s*#\s*team:\s*([\w-]+),\s*project:\s*([\w-]+)/m.exec(text);
  if (!m) throw new Error(`${ENV_FILE} does not say which Convex project this is (CONVEX_DEPLOYMENT with its "# team: …, project: …" comment)`);
  return { team: m[1]!, project: m[2]! };
}
