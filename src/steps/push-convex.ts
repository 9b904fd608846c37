import type { Step } from '../context.js';
import { onlyOurFiles } from '../files/untouched.js';
import { pushExplained } from '../systems/convex.js';

/** What the convex CLI's type check reads: code and its tsconfig (not the README it writes itself). */
const TYPE_CHECKED = /\.(?:[cm]?[jt]sx?|json)$/;

export const pushConvex: Step = {
  id: 'push-convex',
  title: 'Push to Convex',
  // The push bundles convex/ against the app's installed packages.
  waitsFor: ['install'],
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the Convex deployment (--no-install)'),
  describe: () => 'convex dev --once: generate types, type-check (when convex/ holds code of yours) and deploy the functions, now that every variable is set',
  async run(ctx) {
    // Code that is exactly our templates at the pinned versions is type-checked by this tool's own tests
    // (`tsc -p convex` in the scaffold e2e test), so the push skips the check: about 3 s of the
    // critical path. Any file of the user's under convex/ brings the check back; so does `npm run dev`.
    const typecheck = !(await onlyOurFiles(ctx.projectDir, 'convex', ctx.manifest.files, { only: TYPE_CHECKED, skip: ['_generated'] }));
    await pushExplained(ctx.projectDir, { timeoutMs: ctx.timeoutMs, typecheck });
    return typecheck ? 'type-checked' : undefined;
  },
};
