import path from 'node:path';
import type { Step } from '../context.js';
import { execText, runScript } from '../systems/package-manager.js';
import { devOnly } from './production/scope.js';

export const showNextSteps: Step = {
  id: 'next-steps',
  title: 'Next steps',
  printsOnly: true,
  appliesTo: devOnly,
  describe: () => 'print how to start the app',
  async run(ctx) {
    const rel = path.relative(process.cwd(), ctx.projectDir) || '.';
    // After --no-install, one command (the same run without the flag) installs and finishes the setup.
    const lines = ctx.options.install
      ? [`cd ${rel}`, `${runScript(ctx.pm)} dev`]
      : [`${execText(ctx.pm)} create-authkit-convex ${rel}    # installs, then sets up Convex and WorkOS`, `cd ${rel}`, `${runScript(ctx.pm)} dev`];
    ctx.reporter.note('Next steps', lines.join('\n'));
    if (ctx.dashboardSteps?.length) ctx.reporter.note('Left for the WorkOS dashboard (no API for it)', ctx.dashboardSteps.join('\n'));
  },
};
