/**
 * The `vercel` CLI, where the user has it: the project folder's link (`.vercel/project.json`, written
 * by `vercel link`) and `vercel env add`. The CLI uses its own login (`vercel login` or VERCEL_TOKEN in
 * the environment); this tool never sees or passes a Vercel token. Values go on stdin, never in argv.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { isSecretName } from '../secrets.js';
import { run } from './runner.js';

export interface VercelLink {
  projectId: string;
  projectName?: string;
}

/** The Vercel project this folder is linked to, or undefined. */
export function vercelLinkOf(projectDir: string): VercelLink | undefined {
  try {
    const link = JSON.parse(readFileSync(path.join(projectDir, '.vercel', 'project.json'), 'utf8')) as Partial<VercelLink>;
    return typeof link.projectId === 'string' ? { projectId: link.projectId, projectName: link.projectName } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a `vercel` executable is on PATH (looked up, not run: a run would start its update check). */
export function hasVercelCli(env: NodeJS.ProcessEnv = process.env): boolean {
  const names = process.platform === 'win32' ? ['vercel.cmd', 'vercel.exe'] : ['vercel'];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        /* not here */
      }
    }
  }
  return false;
}

/**
 * Sets one Production variable of the linked project: `vercel env add NAME production --force`, the
 * value on stdin. `--force` replaces a variable of the same name and target (the API's upsert), so a
 * rerun leaves exactly one. Secrets are stored as Sensitive (never shown again in the dashboard).
 */
export async function setVercelProductionEnv(projectDir: string, name: string, value: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const args = ['env', 'add', name, 'production', '--force', ...(isSecretName(name) ? ['--sensitive'] : [])];
  await run('vercel', args, { cwd: projectDir, input: value, timeoutMs: opts.timeoutMs, label: `vercel ${args.join(' ')}` });
}
