import type { Context, Step } from '../../context.js';
import { CancelledError } from '../../errors.js';
import { hasVercelCli, setVercelProductionEnv, vercelLinkOf } from '../../systems/vercel.js';
import { PRODUCTION_ENV_FILE } from './hosting.js';
import { production, productionOnly } from './scope.js';

/**
 * Where the folder is linked to a Vercel project and the vercel CLI is installed: sets the host's
 * production variables there with it. Asked in a terminal; with --yes or without a terminal only
 * when --set-vercel-env says so (a run never changes the host behind the user's back).
 */
export const setVercelEnv: Step = {
  id: 'production-vercel-env',
  title: 'Set the production variables on Vercel',
  // Each run sets the values it wrote (the CLI replaces a variable of the same name: one set, never two).
  always: true,
  appliesTo: productionOnly,
  skipReason(ctx) {
    if (!vercelLinkOf(ctx.projectDir)) return 'this folder is not linked to a Vercel project (vercel link)';
    if (!hasVercelCli()) return 'the vercel CLI is not installed';
    if (!ctx.options.setVercelEnv && !ctx.interactive) return `pass --set-vercel-env to set them on Vercel with the vercel CLI (the values are in ${PRODUCTION_ENV_FILE})`;
    return undefined;
  },
  describe: (ctx) => `vercel env add <name> production --force, each value on stdin, on the linked project ${vercelLinkOf(ctx.projectDir)?.projectName ?? ''}`.trimEnd(),
  async run(ctx) {
    const env = production(ctx).hostEnv!;
    const project = vercelLinkOf(ctx.projectDir)!.projectName ?? 'the linked project';
    if (!ctx.options.setVercelEnv && !(await confirmSet(ctx, project, Object.keys(env)))) return 'not now (--set-vercel-env sets them)';
    for (const [name, value] of Object.entries(env)) await setVercelProductionEnv(ctx.projectDir, name, value, { timeoutMs: ctx.timeoutMs });
    ctx.reporter.note(
      'Vercel',
      [
        `Set ${Object.keys(env).join(', ')} on ${project} (Production); its next production deployment uses them.`,
        'The build command is still yours to set: Settings → Build and Deployment → Build Command.',
      ].join('\n'),
    );
    return `${Object.keys(env).length} variables on ${project}`;
  },
};

/** A cancelled answer is a no: nothing on Vercel changes, and the rest of the run stands. */
async function confirmSet(ctx: Context, project: string, names: string[]): Promise<boolean> {
  ctx.reporter.pause();
  const message = `Set ${names.join(', ')} on the Vercel project ${project} (Production) with the vercel CLI?`;
  return ctx.ask.confirm({ message, initialValue: true }).catch((error) => {
    if (error instanceof CancelledError) return false;
    throw error;
  });
}
