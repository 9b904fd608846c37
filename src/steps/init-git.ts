import type { Step } from '../context.js';
import { ensureGitignore } from '../files/gitignore.js';
import { gitInstalled, initialCommit, insideRepository } from '../systems/git.js';

export const initGit: Step = {
  id: 'git',
  title: 'Initialize git',
  skipReason: (ctx) => (!ctx.options.git ? '--no-git' : ctx.options.install ? undefined : 'the first commit comes with the finished project (--no-install)'),
  commitsProject: true,
  // The commit holds the lockfile the install writes and the files shadcn writes beside it.
  waitsFor: ['install', 'shadcn'],
  describe: () => 'git init and a first commit (.env.local is ignored)',
  async run(ctx) {
    const cwd = ctx.projectDir;
    // The templates step wrote it already; a project resumed from an older run may still lack a line.
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
