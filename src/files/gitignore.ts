/** The lines every project's .gitignore needs, whatever create-next-app (or the user) wrote. */
import path from 'node:path';
import fs from 'fs-extra';
import { LOCK_FILE } from '../lock.js';
import { writeFileAtomic } from './tree.js';

/** Secrets live in .env.local; pending template updates; a running setup's lock. */
const MUST_IGNORE = ['.env*.local', '*.authkit-new', LOCK_FILE];

/** `current` with the lines it lacks appended under one comment (unchanged when it has them all). */
export function withIgnored(current: string): string {
  const lines = current.split('\n').map((l) => l.trim());
  const missing = MUST_IGNORE.filter((l) => !lines.includes(l));
  if (missing.length === 0) return current;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  return `${current}${sep}\n# create-authkit-convex: secrets, pending template updates, a running setup's lock\n${missing.join('\n')}\n`;
}

/** Patch the project's .gitignore in place (outside a file tree). */
export async function ensureGitignore(projectDir: string): Promise<void> {
  const file = path.join(projectDir, '.gitignore');
  const current = (await fs.pathExists(file)) ? await fs.readFile(file, 'utf8') : '';
  const next = withIgnored(current);
  if (next !== current) await writeFileAtomic(file, next);
}
