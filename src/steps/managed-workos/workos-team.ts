import type { Step } from '../../context.js';
import { listTeams, accessToken } from '../../systems/convex.js';
import { workosTeamHealth } from '../../systems/convex-workos.js';
import { devOnly } from '../production/scope.js';
import { ensureWorkosTeam, reuse } from './team.js';

/**
 * Convex-managed WorkOS, first part: the Convex team's WorkOS team, made (or found) before anything is
 * created, so that a missing email or a refusal stops the run while nothing is written yet.
 */
export const workosTeam: Step = {
  id: 'workos-team',
  title: 'Link a WorkOS team to the Convex team',
  appliesTo: (ctx) => devOnly(ctx) && ctx.options.workosManaged,
  // A resumed run that already has its deployment skips the login step (no team chosen): the
  // environment step checks the team through the deployment instead.
  skipReason: (ctx) => (ctx.convexTeam || ctx.options.dryRun ? undefined : 'the project already has its deployment'),
  describe: (ctx) => `find or create the WorkOS team of the Convex team ${ctx.convexTeam ?? ctx.options.convexTeam ?? '(chosen at login)'}`,
  async run(ctx) {
    const team = (await listTeams(accessToken()!, ctx.timeoutMs)).find((t) => t.slug === ctx.convexTeam);
    if (!team) throw new Error(`the Convex team ${ctx.convexTeam} is no longer listed by Convex`);
    const health = await workosTeamHealth(team.id, ctx.timeoutMs);
    if (health.teamProvisioned) return reuse(ctx, team.slug, health.teamInfo?.name);
    return ensureWorkosTeam(ctx, team.id, team.slug);
  },
};
