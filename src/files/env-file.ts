/**
 * `.env.local`: read with a real dotenv parser, updated in place (other lines and comments kept),
 * written atomically with mode 0600 because it holds secrets.
 */
import path from 'node:path';
import dotenv from 'dotenv';
import fs from 'fs-extra';
import { addSecretsFromEnv } from '../secrets.js';
import { writeFileAtomic } from './tree.js';

export const ENV_FILE = '.env.local';

export async function readEnvFile(projectDir: string, name: string = ENV_FILE): Promise<Record<string, string>> {
  const file = path.join(projectDir, name);
  if (!(await fs.pathExists(file))) return {};
  const env = dotenv.parse(await fs.readFile(file, 'utf8'));
  // Whatever reads the file learns its secrets: they are redacted from then on.
  addSecretsFromEnv(env);
  return env;
}

/** Quote a value so that dotenv reads back exactly the same string. */
export function formatEnvValue(value: string): string {
  if (/^[A-Za-z0-9_./:@+-]*$/.test(value)) return value;
  if (value.includes('\n')) {
    if (value.includes('"')) throw new Error('A .env value cannot hold both a newline and a double quote.');
    return `"${value.replace(/\n/g, '\\n')}"`; // dotenv expands \n inside double quotes
  }
  for (const q of ["'", '"', '`']) if (!value.includes(q)) return `${q}${value}${q}`;
  throw new Error('A .env value cannot hold all three quote characters.');
}

/**
 * Set `entries` in .env.local (or `opts.file`, e.g. .env.production.local). Keys already present with another value are kept unless `overwrite`
 * names them: we never clobber what someone else wrote there.
 */
export async function mergeEnvFile(
  projectDir: string,
  entries: Record<string, string>,
  opts: { overwrite?: string[]; comment?: string; file?: string } = {},
): Promise<{ added: string[]; kept: string[] }> {
  const file = path.join(projectDir, opts.file ?? ENV_FILE);
  const text = (await fs.pathExists(file)) ? await fs.readFile(file, 'utf8') : '';
  const current = dotenv.parse(text);
  addSecretsFromEnv(current);
  addSecretsFromEnv(entries);
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const added: string[] = [];
  const kept: string[] = [];
  const appended: string[] = [];
  for (const [key, value] of Object.entries(entries)) {
    if (current[key] === value) continue;
    if (key in current && !opts.overwrite?.includes(key)) {
      kept.push(key);
      continue;
    }
    const line = `${key}=${formatEnvValue(value)}`;
    const at = lines.findIndex((l) => new RegExp(`^\\s*(export\\s+)?${key}\\s*=`).test(l));
    if (at >= 0) lines[at] = line;
    else appended.push(line);
    added.push(key);
  }
  if (appended.length > 0) {
    if (lines.length > 0) lines.push('');
    if (opts.comment) lines.push(`# ${opts.comment}`);
    lines.push(...appended);
  }
  await writeFileAtomic(file, lines.join('\n') + '\n', 0o600);
  return { added, kept };
}
