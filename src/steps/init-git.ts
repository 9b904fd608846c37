import path from 'node:path';
import fs from 'fs-extra';
import type { Step } from '../context.js';
import { writeFileAtomic } from '../files/tree.js';
import { LOCK_FILE } from '../lock.js';
import { gitInstalled, initialCommit, insideRepository } from '../systems/git.js';

/** Lines that must be in .gitignore whatever create-next-app wrote: secrets live in .env.local; a run's lock. */
const MUST_IGNORE = ['.env*.local', '*.authkit-new', LOCK_FILE];

export async function ensureGitignore(projectDir: string): Promise<void> {
  const file = path.join(projectDir, '.gitignore');
  const current = (await fs.pathExists(file)) ? await fs.readFile(file, 'utf8') : '';
  const lines = current.split('\n').map((l) => l.trim());
  const missing = MUST_IGNORE.filter((l) => !lines.includes(l));
  if (missing.length === 0) return;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(file, `${current}${sep}\n# create-authkit-convex: secrets, pending template updates, a running setup's lock\n${missing.join('\n')}\n`);
}

export const initGit: Step = {
  id: 'git',
  title: 'Initialize git',
  skipReason: (ctx) => (!ctx.options.git ? '--no-git' : ctx.options.install ? undefined : 'the first commit comes with the finished project (--no-install)'),
  commitsProject: true,
  describe: () => 'git init and a first commit (.env.local is ignored)',
  async run(ctx) {
    const cwd = ctx.projectDir;
    await ensureGitignore(cwd);
    if (!(await gitInstalled(cwd))) {
      ctx.reporter.warn('git is not installed: skipped the repository.');
      return 'git not found';
    }
    // A repository the user brought (the folder's own .git, or a monorepo around it) is theirs: as
    // create-next-app does, neither a nested repository nor a commit in theirs.
    if (await insideRepository(cwd)) return 'already in a git repository: commit when you are ready';
    await initialCommit(cwd, 'Initial commit from create-authkit-convex');
  },
};
