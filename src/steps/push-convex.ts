import type { Step } from '../context.js';
import { CommandFailedError } from '../systems/runner.js';
import { push } from '../systems/convex.js';

/** Convex's own words for a missing variable, turned into the exact fix. */
export function diagnosePush(output: string): string | undefined {
  const missing = /Environment variable (\w+) is used in auth config file but its value was not set/i.exec(output) ??
    /AuthConfigMissingEnvironmentVariable[^\n]*?\b([A-Z][A-Z0-9_]+)\b/.exec(output);
  if (missing) {
    return `The deployment has no ${missing[1]}. Set it with \`npx convex env set ${missing[1]}\` (it asks for the value), or run this command again, which sets every variable it owns.`;
  }
  if (/BadAdminKey|401 Unauthorized/.test(output)) {
    return 'The deployment refused the credentials. Log in again with `npx convex login` (self-hosted: check CONVEX_SELF_HOSTED_ADMIN_KEY in .env.local), then run the same command again: it resumes at the push.';
  }
  return undefined;
}

export const pushConvex: Step = {
  id: 'push-convex',
  title: 'Push to Convex',
  // The push bundles convex/ against the app's installed packages.
  waitsFor: ['install'],
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the Convex deployment (--no-install)'),
  describe: () => 'convex dev --once: generate types, type-check and deploy the functions, now that every variable is set',
  async run(ctx) {
    try {
      await push(ctx.projectDir, { timeoutMs: ctx.timeoutMs });
    } catch (error) {
      // 130: cancelled with Ctrl-C, not a rejection; the pipeline reports it as such.
      if (error instanceof CommandFailedError && error.result.exitCode !== 130) {
        const fix = diagnosePush(error.result.output);
        const tail = error.result.output.trim().split('\n').slice(-20).join('\n');
        throw Object.assign(new Error(`Convex rejected the push:\n${tail}`), {
          fix: fix ?? 'Fix the error above (in convex/), then run the same command again: it resumes at the push.',
        });
      }
      throw error;
    }
  },
};
