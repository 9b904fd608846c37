import path from 'node:path';
import type { Context, Step } from '../context.js';
import { UsageError } from '../errors.js';
import { readEnvFile } from '../files/env-file.js';
import { accessToken, listTeams, type ConvexTeam } from '../systems/convex.js';
import { execPackage } from '../systems/package-manager.js';
import { appDependencies } from '../versions.js';

/** Whether the project already has a deployment (a resumed run or a rerun): then no login is needed. */
export async function existingDeployment(ctx: Context): Promise<string | undefined> {
  const env = await readEnvFile(ctx.projectDir);
  return env.CONVEX_DEPLOYMENT || env.CONVEX_SELF_HOSTED_URL || undefined;
}

export const checkConvexLogin: Step = {
  id: 'convex-login',
  title: 'Check the Convex login',
  always: true,
  skipReason: (ctx) => (ctx.options.convexUrl ? 'self-hosted deployment' : undefined),
  describe: (ctx) => `find your Convex login and team${ctx.options.convexTeam ? ` (${ctx.options.convexTeam})` : ''}`,
  async run(ctx) {
    const existing = await existingDeployment(ctx);
    if (existing) return `project already uses ${existing}`;
    let token = accessToken();
    if (!token) {
      if (!ctx.interactive) {
        throw new UsageError(
          'You are not logged in to Convex.',
          `Run \`npx convex@${appDependencies.convex} login\` once, then run this command again; ` +
            'or pass --convex-url and --convex-admin-key for a self-hosted deployment.',
        );
      }
      ctx.reporter.info('Log in to Convex to create your deployment:');
      await execPackage(ctx.pm, `convex@${appDependencies.convex}`, ['login'], { cwd: path.dirname(ctx.projectDir), interactive: true });
      token = accessToken();
      if (!token) throw new UsageError('The Convex login did not finish.', `Run \`npx convex@${appDependencies.convex} login\`, then this command again.`);
    }
    let teams: ConvexTeam[];
    try {
      teams = await listTeams(token, ctx.timeoutMs);
    } catch (error) {
      if ((error as { status?: number }).status === 401 || (error as { status?: number }).status === 403) {
        throw new UsageError('Convex did not accept your saved login (it may have expired).', `Run \`npx convex@${appDependencies.convex} login\` again, then this command again.`);
      }
      throw Object.assign(new Error(`could not reach Convex: ${(error as Error).message}`), {
        fix: 'Check your network connection, then run the same command again.',
      });
    }
    ctx.convexTeam = await chooseTeam(ctx, teams);
    return `team ${ctx.convexTeam}`;
  },
};

async function chooseTeam(ctx: Context, teams: ConvexTeam[]): Promise<string> {
  const wanted = ctx.options.convexTeam;
  const list = teams.map((t) => `  ${t.slug} (${t.name})`).join('\n');
  if (wanted) {
    if (teams.some((t) => t.slug === wanted)) return wanted;
    throw new UsageError(`You have no Convex team "${wanted}". Your teams:\n${list}`, 'Pass one of them with --convex-team.');
  }
  if (teams.length === 1) return teams[0]!.slug;
  if (teams.length === 0) throw new UsageError('Your Convex account has no team.', 'Create one in the Convex dashboard, then run this command again.');
  if (!ctx.interactive) {
    throw new UsageError(`You belong to several Convex teams; say which one to use:\n${list}`, 'Pass --convex-team <slug>.');
  }
  ctx.reporter.pause();
  return ctx.ask.select({
    message: 'Which Convex team should own the project?',
    options: teams.map((t) => ({ value: t.slug, label: t.name, hint: t.slug })),
  });
}
