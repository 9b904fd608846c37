import type { Step } from '../../context.js';
import { devOnly } from '../production/scope.js';

/** Convex-managed WorkOS: how to reach the environment's dashboard (the settings no API sets are there). */
export const showManagedWorkos: Step = {
  id: 'managed-workos-note',
  title: 'The WorkOS environment Convex made',
  printsOnly: true,
  appliesTo: (ctx) => devOnly(ctx) && ctx.options.workosManaged,
  describe: () => 'print how to open the WorkOS dashboard of the environment Convex made',
  async run(ctx) {
    const env = ctx.manifest.workosEnvironment;
    ctx.reporter.note(
      'Your WorkOS environment (made by Convex)',
      [
        `${env ? `${env.name}, ` : ''}client ID ${ctx.options.workosClientId ?? '(in .env.local)'}; its API key is in .env.local.`,
        'To open it in the WorkOS dashboard, join the WorkOS team Convex made:',
        '  npx convex integration workos invite',
        'Its status: npx convex integration workos status',
      ].join('\n'),
    );
  },
};
