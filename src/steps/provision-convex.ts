import type { Context, Step } from '../context.js';
import { mergeEnvFile } from '../files/env-file.js';
import { canonicalUrls, createdProjectSlug, provisionDeployment, readDeployment } from '../systems/convex.js';
import { provisionAnonymous } from '../systems/convex-local.js';
import { CommandFailedError } from '../systems/runner.js';

export const provisionConvex: Step = {
  id: 'provision-convex',
  title: 'Provision a Convex deployment',
  skipReason: (ctx) => (ctx.options.install ? undefined : '--no-install: the same command without it provisions one'),
  describe: (ctx) =>
    ctx.options.account === false
      ? 'a local anonymous deployment (the convex CLI runs Convex on this computer, no account), without pushing any code'
      : ctx.options.convexUrl
      ? `use the self-hosted deployment at ${ctx.options.convexUrl}`
      : `create project "${ctx.options.convexProject}" with a dev deployment, without pushing any code`,
  async run(ctx) {
    const known = await readDeployment(ctx.projectDir);
    if (known) {
      ctx.convex = known;
      return `reusing ${known.deployment ?? known.url}`;
    }
    if (ctx.options.convexUrl && ctx.options.convexAdminKey) {
      // Where the convex CLI looks for a self-hosted deployment; the site URL comes from the deployment.
      const urls = await canonicalUrls(ctx.options.convexUrl, ctx.options.convexAdminKey, ctx.timeoutMs);
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
    } else if (ctx.options.account === false) {
      await provisionAnonymous(ctx.projectDir, { timeoutMs: ctx.timeoutMs });
    } else {
      await provisionCloud(ctx);
    }
    ctx.convex = await readDeployment(ctx.projectDir);
    if (!ctx.convex) {
      throw new Error('the convex CLI finished but .env.local has no NEXT_PUBLIC_CONVEX_URL / NEXT_PUBLIC_CONVEX_SITE_URL');
    }
    return ctx.convex.deployment ?? ctx.convex.url;
  },
};

/** A project that an earlier run created is reused: provisioning can fail after creating it. */
async function provisionCloud(ctx: Context): Promise<void> {
  const earlier = ctx.manifest.convexProject;
  if (earlier) {
    await provisionDeployment(ctx.projectDir, earlier.team, earlier.slug, 'existing', { timeoutMs: ctx.timeoutMs });
    return;
  }
  const team = ctx.convexTeam!;
  let output = '';
  try {
    output = (await provisionDeployment(ctx.projectDir, team, ctx.options.convexProject!, 'new', { timeoutMs: ctx.timeoutMs })).output;
  } catch (error) {
    if (error instanceof CommandFailedError) output = error.result.output;
    throw error;
  } finally {
    const slug = createdProjectSlug(output);
    if (slug) ctx.manifest.convexProject = { team, slug };
  }
}

/** Later steps of a resumed run need the deployment that an earlier run provisioned. */
export async function requireDeployment(ctx: Context) {
  ctx.convex ??= await readDeployment(ctx.projectDir);
  if (!ctx.convex) throw new Error('no Convex deployment is recorded in .env.local; run the command again to provision one');
  return ctx.convex;
}
