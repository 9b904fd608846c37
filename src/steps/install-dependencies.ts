import type { Step } from '../context.js';
import { install } from '../systems/package-manager.js';
import { appDependencies, appDevDependencies } from '../versions.js';

export const installDependencies: Step = {
  id: 'install',
  title: 'Install dependencies',
  background: true,
  describe: (ctx) =>
    ctx.options.install
      ? `one \`${ctx.pm} install\` of the ${Object.keys(appDependencies).length + Object.keys(appDevDependencies).length} pinned packages and the app's own, in the background`
      : '--no-install: not installed',
  async run(ctx) {
    // package.json already lists everything (the create step put it there, before anything reads it).
    if (!ctx.options.install) return 'package.json only (--no-install)';
    await install(ctx.pm, { cwd: ctx.projectDir, timeoutMs: 15 * 60_000 });
  },
};
