import type { Context, Step } from '../context.js';
import { mergeEnvFile, readEnvFile } from '../files/env-file.js';
import { canonicalUrls, provisionDeployment } from '../systems/convex.js';

/** The deployment as .env.local describes it, read with a real dotenv parser. */
export async function deploymentFromEnvFile(ctx: Context) {
  const env = await readEnvFile(ctx.projectDir);
  const url = env.NEXT_PUBLIC_CONVEX_URL;
  const siteUrl = env.NEXT_PUBLIC_CONVEX_SITE_URL;
  if (!url || !siteUrl) return undefined;
  return { deployment: env.CONVEX_DEPLOYMENT, url, siteUrl };
}

export const provisionConvex: Step = {
  id: 'provision-convex',
  title: 'Provision a Convex deployment',
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the installed convex package (--no-install)'),
  describe: (ctx) =>
    ctx.options.convexUrl
      ? `use the self-hosted deployment at ${ctx.options.convexUrl}`
      : `create project "${ctx.options.convexProject}" with a dev deployment, without pushing any code`,
  async run(ctx) {
    const known = await deploymentFromEnvFile(ctx);
    if (known) {
      ctx.convex = known;
      return `reusing ${known.deployment ?? known.url}`;
    }
    if (ctx.options.convexUrl && ctx.options.convexAdminKey) {
      // Where the convex CLI looks for a self-hosted deployment; the site URL comes from the deployment.
      const urls = await canonicalUrls(ctx.options.convexUrl, ctx.options.convexAdminKey);
      await mergeEnvFile(
        ctx.projectDir,
        {
          CONVEX_SELF_HOSTED_URL: ctx.options.convexUrl,
          CONVEX_SELF_HOSTED_ADMIN_KEY: ctx.options.convexAdminKey,
          NEXT_PUBLIC_CONVEX_URL: urls.convexCloudUrl,
          NEXT_PUBLIC_CONVEX_SITE_URL: urls.convexSiteUrl,
        },
        { comment: 'Self-hosted Convex deployment (create-authkit-convex)' },
      );
    } else {
      await provisionDeployment(ctx.projectDir, ctx.convexTeam!, ctx.options.convexProject!);
    }
    ctx.convex = await deploymentFromEnvFile(ctx);
    if (!ctx.convex) {
      throw new Error('the convex CLI finished but .env.local has no NEXT_PUBLIC_CONVEX_URL / NEXT_PUBLIC_CONVEX_SITE_URL');
    }
    return ctx.convex.deployment ?? ctx.convex.url;
  },
};

/** Later steps of a resumed run need the deployment that an earlier run provisioned. */
export async function requireDeployment(ctx: Context) {
  ctx.convex ??= await deploymentFromEnvFile(ctx);
  if (!ctx.convex) throw new Error('no Convex deployment is recorded in .env.local; run the command again to provision one');
  return ctx.convex;
}
