import path from 'node:path';
import fs from 'fs-extra';
import type { Step } from '../context.js';
import { writeFileAtomic } from '../files/tree.js';
import { install } from '../systems/package-manager.js';
import { appDependencies, appDevDependencies } from '../versions.js';

/** Every dependency of the finished project goes into package.json first, so one install does it all. */
export async function addDependencies(projectDir: string): Promise<void> {
  const file = path.join(projectDir, 'package.json');
  const pkg = await fs.readJson(file);
  pkg.dependencies = sortKeys({ ...pkg.dependencies, ...appDependencies });
  pkg.devDependencies = sortKeys({ ...pkg.devDependencies, ...appDevDependencies });
  await writeFileAtomic(file, JSON.stringify(pkg, null, 2) + '\n');
}

function sortKeys(obj: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => a.localeCompare(b)));
}

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
