import type { Step } from '../context.js';
import { pushExplained } from '../systems/convex.js';

export const pushConvex: Step = {
  id: 'push-convex',
  title: 'Push to Convex',
  // The push bundles convex/ against the app's installed packages.
  waitsFor: ['install'],
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the Convex deployment (--no-install)'),
  describe: () => 'convex dev --once: generate types, type-check and deploy the functions, now that every variable is set',
  async run(ctx) {
    await pushExplained(ctx.projectDir, { timeoutMs: ctx.timeoutMs });
  },
};
