import path from 'node:path';
import type { Step } from '../context.js';
import { runScript } from '../systems/package-manager.js';

export const showNextSteps: Step = {
  id: 'next-steps',
  title: 'Next steps',
  describe: () => 'print how to start the app',
  async run(ctx) {
    const rel = path.relative(process.cwd(), ctx.projectDir) || '.';
    const lines = [`cd ${rel}`];
    if (!ctx.options.install) lines.push(`${ctx.pm} install`);
    lines.push(`${runScript(ctx.pm)} dev`);
    ctx.reporter.note('Next steps', lines.join('\n'));
    if (ctx.dashboardSteps?.length) ctx.reporter.note('Left for the WorkOS dashboard (no API for it)', ctx.dashboardSteps.join('\n'));
  },
};
