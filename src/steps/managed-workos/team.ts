/**
 * The WorkOS team behind Convex-managed WorkOS: one per Convex team, created once, for a verified email
 * of the Convex account (as `npx convex integration workos provision-team` does), then reused by every
 * deployment of the team.
 */
import type { Context } from '../../context.js';
import { CancelledError, UsageError } from '../../errors.js';
import { availableWorkosTeamEmails, ConvexApiError, provisionWorkosTeam, workosTeamHealth } from '../../systems/convex-workos.js';

const BY_HAND = 'npx convex integration workos provision-team';
const ADD_EMAIL = 'add and verify one in the Convex dashboard (Profile → Emails)';
const USE_KEYS = 'or use a WorkOS account of your own: --workos-api-key and --workos-client-id instead of --workos-managed';
const TERMS = 'WorkOS Terms of Service (https://workos.com/legal/terms-of-service) and Privacy Policy (https://workos.com/legal/privacy)';

/** Makes sure the Convex team has a WorkOS team; returns a short detail for the step's line. */
export async function ensureWorkosTeam(ctx: Context, teamId: number, teamName: string): Promise<string> {
  const tried = new Set<string>();
  for (;;) {
    const email = await chooseEmail(ctx, teamName, tried);
    try {
      const team = await provisionWorkosTeam(teamId, email, ctx.timeoutMs);
      ctx.reporter.info(`Created the WorkOS team "${team.workosTeamName}" for the Convex team ${teamName} (admin: ${team.adminEmail}).`);
      return `created WorkOS team ${team.workosTeamName}`;
    } catch (error) {
      if (!(error instanceof ConvexApiError)) throw error;
      if (error.code === 'WorkosAccountAlreadyExistsWithThisEmail') {
        // Someone is there: they pick another address; otherwise the run says which ones remain.
        if (ctx.interactive) {
          ctx.reporter.warn(`${email} already has a WorkOS account, so it cannot create a new WorkOS team: pick another email.`);
          tried.add(email);
          continue;
        }
        throw new UsageError(
          `${email} already has a WorkOS account, so Convex cannot create a new WorkOS team with it.`,
          `Pass another verified email of your Convex account with --workos-team-email (${ADD_EMAIL}), ${USE_KEYS}.`,
        );
      }
      if (error.status === 403) {
        throw new UsageError(
          `Only an admin of the Convex team ${teamName} can create its WorkOS team, and you are not one (Convex: ${error.message}).`,
          `Ask an admin of ${teamName} to run \`${BY_HAND}\` once (or this command), then run this command again; ${USE_KEYS}.`,
        );
      }
      // Another member may have linked a WorkOS team meanwhile: then that one serves.
      const health = await workosTeamHealth(teamId, ctx.timeoutMs).catch(() => undefined);
      if (health?.teamProvisioned) return reuse(ctx, teamName, health.teamInfo?.name);
      throw error;
    }
  }
}

/** The Convex team already has a WorkOS team: it is reused, and said so. */
export function reuse(ctx: Context, teamName: string, workosTeam: string | undefined): string {
  const name = workosTeam ? `"${workosTeam}"` : '';
  ctx.reporter.info(`The Convex team ${teamName} already has a WorkOS team ${name}: its new environment goes there.`.replace('  ', ' '));
  return `reusing WorkOS team${workosTeam ? ` ${workosTeam}` : ''}`;
}

async function chooseEmail(ctx: Context, teamName: string, tried: Set<string>): Promise<string> {
  const given = ctx.options.workosTeamEmail;
  const { availableEmails, usedEmails } = await availableWorkosTeamEmails(ctx.timeoutMs);
  if (given && !tried.has(given)) {
    if (availableEmails.includes(given)) return given;
    if (usedEmails.includes(given)) {
      throw new UsageError(
        `${given} already administers another WorkOS team made through Convex, so it cannot create one for ${teamName}.`,
        `Pass another verified email with --workos-team-email${availableEmails.length ? ` (available: ${availableEmails.join(', ')})` : ` (${ADD_EMAIL})`}, ${USE_KEYS}.`,
      );
    }
    throw new UsageError(
      `${given} is not a verified email of your Convex account, so it cannot create the WorkOS team.`,
      availableEmails.length
        ? `Pass one of ${availableEmails.join(', ')} with --workos-team-email, or ${ADD_EMAIL}.`
        : `${ADD_EMAIL[0]!.toUpperCase()}${ADD_EMAIL.slice(1)}, then run this command again; ${USE_KEYS}.`,
    );
  }
  const left = availableEmails.filter((e) => !tried.has(e));
  if (!ctx.interactive) {
    // Creating a WorkOS account is the user's decision: without a terminal, only an email given on purpose says yes.
    throw new UsageError(
      `The Convex team ${teamName} has no WorkOS team yet. Creating one makes a WorkOS account (you accept the ${TERMS}), which needs your say-so.`,
      left.length
        ? `Pass --workos-team-email with one of your verified emails (${left.join(', ')}), or run \`${BY_HAND}\` once in a terminal; then run this command again.`
        : `${ADD_EMAIL[0]!.toUpperCase()}${ADD_EMAIL.slice(1)}, then pass it with --workos-team-email (or run \`${BY_HAND}\` once in a terminal); ${USE_KEYS}.`,
    );
  }
  if (left.length === 0) {
    throw new UsageError(`Your Convex account has no verified email left that can create a WorkOS team for ${teamName}.`, `${ADD_EMAIL[0]!.toUpperCase()}${ADD_EMAIL.slice(1)}, then run this command again; ${USE_KEYS}.`);
  }
  ctx.reporter.pause();
  ctx.reporter.info(`The Convex team ${teamName} has no WorkOS team yet: Convex creates one (a WorkOS account; you accept the ${TERMS}).`);
  const choice = await ctx.ask.select({
    message: 'Create the WorkOS team with which email?',
    options: [...left.map((e) => ({ value: e, label: e })), { value: '', label: 'Cancel (create no WorkOS account)' }],
  });
  if (!choice) throw new CancelledError('Cancelled: no WorkOS team was created.', `Run the same command again to choose, ${USE_KEYS}.`, 1);
  return choice;
}
