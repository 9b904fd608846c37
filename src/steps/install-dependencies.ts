import type { Step } from '../context.js';
import { cleanInstall, cleanInstallArgs, install } from '../systems/package-manager.js';
import { placeShippedLockfile } from '../systems/lockfile.js';
import { chosenFeatures } from '../features/index.js';

export const installDependencies: Step = {
  id: 'install',
  title: 'Install dependencies',
  background: true,
  // Skipped, not done: the same command without --no-install installs and carries on.
  skipReason: (ctx) => (ctx.options.install ? undefined : '--no-install: package.json only'),
  describe: (ctx) =>
    `one \`${ctx.pm} install\` of the ${chosenFeatures(ctx.options).reduce((n, f) => n + Object.keys({ ...f.dependencies, ...f.devDependencies }).length, 0)} pinned packages and the app's own, in the background` +
    ` (\`${[ctx.pm, ...cleanInstallArgs(ctx.pm)].join(' ')}\` from the shipped lockfile when package.json is exactly the set it resolves)`,
  async run(ctx) {
    // package.json already lists everything (the create step put it there, before anything reads it).
    const opts = { cwd: ctx.projectDir, timeoutMs: 15 * 60_000 };
    // The shipped lockfile: no resolution, and the very tree the tests installed.
    const lockfile = await placeShippedLockfile(ctx.pm, ctx.projectDir);
    if (lockfile.placed) {
      await cleanInstall(ctx.pm, opts);
      return 'from the shipped lockfile';
    }
    await install(ctx.pm, opts);
    // Said, so that a slower install (it resolves) is explained.
    return `resolved anew: ${lockfile.why}`;
  },
};
