import type { Context, Step } from '../context.js';
import { CancelledError, UsageError } from '../errors.js';
import { chosenFeatures, varsOf } from '../features/index.js';
import { addSecret } from '../secrets.js';
import { listDeploymentEnv, setDeploymentEnv as setEnv } from '../systems/convex.js';
import { devOnly } from './production/scope.js';

export const setDeploymentEnv: Step = {
  id: 'deployment-env',
  title: 'Set the deployment environment',
  // Idempotent; every run makes sure the deployment holds what the code about to be pushed reads.
  always: true,
  appliesTo: devOnly,
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the Convex deployment (--no-install)'),
  describe: (ctx) =>
    `${[...new Set(varsOf(chosenFeatures(ctx.options), 'deployment').filter((v) => !v.optional || v.value(ctx, undefined) !== undefined).map((v) => v.name))].join(', ')} in one call, before any code is pushed`,
  async run(ctx) {
    // What the chosen features need on the deployment (a value this run does not have is left alone).
    const wanted: Record<string, string> = {};
    for (const v of varsOf(chosenFeatures(ctx.options), 'deployment')) {
      const value = v.value(ctx, ctx.deploymentEnv?.[v.name]);
      if (value === undefined) continue;
      if (v.secret) addSecret(value);
      wanted[v.name] = value;
    }

    const limit = { timeoutMs: ctx.timeoutMs };
    // Read by the WorkOS step of this same run, when it ran: each read is a convex CLI start.
    const current = ctx.deploymentEnv ?? (await listDeploymentEnv(ctx.projectDir, limit));
    const changes = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => current[k] !== v));
    // A variable someone else set is never overwritten behind their back.
    const foreign = Object.keys(changes).filter((k) => k in current && !ctx.manifest.deploymentEnv.includes(k));
    if (foreign.length > 0) {
      if (ctx.interactive) ctx.reporter.pause();
      const ok = ctx.interactive && (await confirmOverwrite(ctx, foreign));
      if (!ok) {
        throw new UsageError(
          `The Convex deployment already has ${foreign.join(', ')} with a different value, set outside this tool.`,
          `Remove it (npx convex env remove ${foreign[0]}) or make it match, then run the same command again.`,
        );
      }
    }
    if (Object.keys(changes).length > 0) {
      // No read-back (a convex CLI start on the critical path): `env set` exits 0 only once the
      // deployment took the update, the e2e tests compare what lands with what was sent, and a variable
      // auth.config needs that did not land fails the push that follows, naming it (diagnosePush).
      await setEnv(ctx.projectDir, changes, limit);
      ctx.deploymentEnv = { ...current, ...changes };
    }
    ctx.manifest.deploymentEnv = [...new Set([...ctx.manifest.deploymentEnv, ...Object.keys(wanted)])].sort();
    return Object.keys(changes).length ? `set ${Object.keys(changes).join(', ')}` : 'already up to date';
  },
};

/** A cancelled answer is a no: the run then stops with what to do by hand. */
async function confirmOverwrite(ctx: Context, names: string[]): Promise<boolean> {
  const message = `Replace the deployment's existing ${names.join(', ')}?`;
  return ctx.ask.confirm({ message, initialValue: false }).catch((error) => {
    if (error instanceof CancelledError) return false;
    throw error;
  });
}
