import path from 'node:path';
import fs from 'fs-extra';
import type { Step } from '../context.js';
import { createNextApp } from '../systems/create-next-app.js';
import { configureProject } from '../systems/package-manager.js';
import { writeFileAtomic } from '../files/tree.js';
import { appDependencies, appDevDependencies, CREATE_NEXT_APP_VERSION } from '../versions.js';

/** Every dependency of the finished project goes into package.json first, so one install does it all. */
async function addDependencies(projectDir: string): Promise<void> {
  const file = path.join(projectDir, 'package.json');
  const pkg = await fs.readJson(file);
  pkg.dependencies = sortKeys({ ...pkg.dependencies, ...appDependencies });
  pkg.devDependencies = sortKeys({ ...pkg.devDependencies, ...appDevDependencies });
  await writeFileAtomic(file, JSON.stringify(pkg, null, 2) + '\n');
}

function sortKeys(obj: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => a.localeCompare(b)));
}

export const createApp: Step = {
  id: 'create-app',
  title: 'Create the Next.js app',
  describe: (ctx) =>
    `create-next-app@${CREATE_NEXT_APP_VERSION} ${ctx.projectDir} (TypeScript, Tailwind, ESLint, App Router, src/, @/*, ${ctx.pm}), ` +
    'with every pinned dependency added to package.json',
  async run(ctx) {
    // create-next-app works in a hidden folder beside the project, and its files move in only when it
    // has finished: a failed or cancelled run leaves the project directory as it was, so a rerun can
    // start again. package.json moves last, since its presence is what marks the project as begun.
    const parent = path.dirname(ctx.projectDir);
    const staging = await fs.mkdtemp(path.join(parent, '.create-authkit-convex-'));
    try {
      const made = path.join(staging, path.basename(ctx.projectDir));
      await createNextApp(made, ctx.pm);
      // Every dependency of the finished project, so that one install does it all.
      await addDependencies(made);
      // The package manager's own settings (allowed build scripts, yarn's linker), before anything installs.
      await configureProject(ctx.pm, made);
      await fs.ensureDir(ctx.projectDir);
      const entries = (await fs.readdir(made)).sort((a, b) => Number(a === 'package.json') - Number(b === 'package.json'));
      for (const entry of entries) await fs.rename(path.join(made, entry), path.join(ctx.projectDir, entry));
    } finally {
      await fs.remove(staging);
    }
  },
};
