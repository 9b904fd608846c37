import path from 'node:path';
import fs from 'fs-extra';
import type { Step } from '../context.js';
import { createNextApp } from '../systems/create-next-app.js';
import { configureProject } from '../systems/package-manager.js';
import { writeFileAtomic } from '../files/tree.js';
import { removeOnExit } from '../signals.js';
import { chosenFeatures, type Feature } from '../features/index.js';
import { CREATE_NEXT_APP_VERSION } from '../versions.js';

/** Every dependency of the finished project goes into package.json first, so one install does it all. */
export async function addDependencies(projectDir: string, chosen: Feature[]): Promise<void> {
  const file = path.join(projectDir, 'package.json');
  const pkg = await fs.readJson(file);
  pkg.dependencies = sortKeys(Object.assign({ ...pkg.dependencies }, ...chosen.map((f) => f.dependencies ?? {})));
  pkg.devDependencies = sortKeys(Object.assign({ ...pkg.devDependencies }, ...chosen.map((f) => f.devDependencies ?? {})));
  await writeFileAtomic(file, JSON.stringify(pkg, null, 2) + '\n');
}

function sortKeys(obj: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A folder may hold what create-next-app tolerates (.git, .gitignore, LICENSE, …): those are the
 * user's and stay. Their .gitignore gains the lines of ours it lacks.
 */
async function moveIn(from: string, to: string): Promise<void> {
  if (!(await fs.pathExists(to))) return fs.rename(from, to);
  if (path.basename(to) !== '.gitignore') return;
  const theirs = await fs.readFile(to, 'utf8');
  const have = new Set(theirs.split('\n').map((l) => l.trim()));
  const missing = (await fs.readFile(from, 'utf8')).split('\n').filter((l) => l.trim() && !l.startsWith('#') && !have.has(l.trim()));
  if (missing.length === 0) return;
  const sep = theirs === '' || theirs.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(to, `${theirs}${sep}\n# Next.js (create-authkit-convex)\n${missing.join('\n')}\n`);
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
    // A run that was killed outright left its staging folder: this run holds the project's lock, so
    // any folder staged for this project is a leftover.
    const parent = path.dirname(ctx.projectDir);
    // Missing parents are created, as create-next-app does (`apps/web` in a new monorepo).
    await fs.ensureDir(parent);
    const prefix = `.create-authkit-convex-${path.basename(ctx.projectDir)}-`;
    // (mkdtemp adds 6 characters: a longer name is another project's, e.g. my-app-2 beside my-app.)
    const leftovers = (await fs.readdir(parent)).filter((e) => e.startsWith(prefix) && e.length === prefix.length + 6);
    for (const entry of leftovers) await fs.remove(path.join(parent, entry));
    const staging = await fs.mkdtemp(path.join(parent, prefix));
    // Cancelled while create-next-app runs: the folder goes at exit, even if the run leaves first.
    const release = removeOnExit(staging);
    try {
      const made = path.join(staging, path.basename(ctx.projectDir));
      await createNextApp(made, ctx.pm);
      // Every dependency of the finished project, so that one install does it all.
      await addDependencies(made, chosenFeatures(ctx.options));
      // The package manager's own settings (allowed build scripts, yarn's linker), before anything installs.
      await configureProject(ctx.pm, made);
      await fs.ensureDir(ctx.projectDir);
      const entries = (await fs.readdir(made)).sort((a, b) => Number(a === 'package.json') - Number(b === 'package.json'));
      for (const entry of entries) await moveIn(path.join(made, entry), path.join(ctx.projectDir, entry));
    } finally {
      await fs.remove(staging);
      release();
    }
  },
};
