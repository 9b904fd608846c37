import path from 'node:path';
import type { Context, Step } from '../context.js';
import { UsageError } from '../errors.js';
import { readEnvFile } from '../files/env-file.js';
import { accessToken, deploymentName, listTeams, login, LOGIN_COMMAND, type ConvexTeam } from '../systems/convex.js';
import { devOnly } from './production/scope.js';

export const checkConvexLogin: Step = {
  id: 'convex-login',
  title: 'Check the Convex login',
  always: true,
  appliesTo: devOnly,
  skipReason: (ctx) =>
    ctx.options.convexUrl ? 'self-hosted deployment' : ctx.options.account === false ? 'no account: a local anonymous deployment' : undefined,
  describe: (ctx) => `find your Convex login and team${ctx.options.convexTeam ? ` (${ctx.options.convexTeam})` : ''}`,
  async run(ctx) {
    // A resumed run or a rerun already has a deployment: then no login is needed.
    const existing = deploymentName(await readEnvFile(ctx.projectDir));
    if (existing) return `project already uses ${existing}`;
    let token = accessToken();
    if (!token) {
      if (!ctx.interactive) {
        throw new UsageError(
          'You are not logged in to Convex.',
          `Run \`${LOGIN_COMMAND}\` once, then run this command again; ` +
            'or pass --convex-url and --convex-admin-key for a self-hosted deployment.',
        );
      }
      ctx.reporter.info('Log in to Convex to create your deployment:');
      token = await login(ctx.pm, path.dirname(ctx.projectDir));
    }
    const teams: ConvexTeam[] = await listTeams(token, ctx.timeoutMs);
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
