/** git, the one outside tool the finished project is handed over in: every git command runs here. */
import { run } from './runner.js';

/** Whether git is installed (a machine without it still gets its project, without a repository). */
export async function gitInstalled(cwd: string): Promise<boolean> {
  return run('git', ['--version'], { cwd }).then(() => true, () => false);
}

/** Whether `cwd` is already inside a repository (its own .git, or a monorepo around it). */
export async function insideRepository(cwd: string): Promise<boolean> {
  const inside = await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd }).catch(() => undefined);
  return inside?.stdout.trim() === 'true';
}

/** A new repository with everything in `cwd` as its first commit. */
export async function initialCommit(cwd: string, message: string): Promise<void> {
  await run('git', ['init', '-q'], { cwd });
  await run('git', ['add', '-A'], { cwd });
  // A machine without a git identity still gets its first commit.
  const identity = await run('git', ['config', 'user.email'], { cwd }).catch(() => undefined);
  const env = identity?.stdout.trim()
    ? {}
    : { GIT_AUTHOR_NAME: 'create-authkit-convex', GIT_AUTHOR_EMAIL: 'noreply@example.com', GIT_COMMITTER_NAME: 'create-authkit-convex', GIT_COMMITTER_EMAIL: 'noreply@example.com' };
  await run('git', ['commit', '-q', '-m', message], { cwd, env });
}
