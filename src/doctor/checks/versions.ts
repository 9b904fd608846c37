/**
 * The installed packages against the one pinned, tested set (PITFALLS 20): drift warns, a missing
 * core package fails. Only packages the project lists (plus the core ones) are compared, so a
 * hand-made project is not told to add what it does not use.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appDependencies, appDevDependencies } from '../../versions.js';
import { fail, pass, warn, type Check } from '../types.js';

/** Without these the app cannot sign in or reach Convex at all. */
const CORE = ['convex', '@workos-inc/authkit-nextjs', '@workos-inc/node'];

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function installedVersion(projectDir: string, name: string): string | undefined {
  return readJson(path.join(projectDir, 'node_modules', name, 'package.json'))?.version as string | undefined;
}

export const versionsMatch: Check = async (ctx) => {
  const id = 'versions';
  const title = 'Installed versions are the tested set';
  const pkg = readJson(path.join(ctx.projectDir, 'package.json')) ?? {};
  const listed = new Set([...Object.keys((pkg.dependencies as object) ?? {}), ...Object.keys((pkg.devDependencies as object) ?? {}), ...CORE]);
  const pinned: Record<string, string> = { ...appDependencies, ...appDevDependencies };
  const missing: string[] = [];
  const drift: string[] = [];
  for (const [name, want] of Object.entries(pinned)) {
    if (!listed.has(name)) continue;
    const have = installedVersion(ctx.projectDir, name);
    if (have === undefined) missing.push(name);
    else if (have !== want) drift.push(name);
  }
  const coreMissing = missing.filter((n) => CORE.includes(n));
  if (coreMissing.length > 0) {
    return fail(id, title, `${coreMissing.join(', ')} ${coreMissing.length > 1 ? 'are' : 'is'} not installed in node_modules.`, 'npm install');
  }
  if (drift.length === 0 && missing.length === 0) return pass(id, title, `${listed.size} packages checked`);
  const install = (names: string[]) => {
    const deps = names.filter((n) => n in appDependencies).map((n) => `${n}@${pinned[n]}`);
    const dev = names.filter((n) => n in appDevDependencies).map((n) => `${n}@${pinned[n]}`);
    return [deps.length ? `npm install --save-exact ${deps.join(' ')}` : '', dev.length ? `npm install --save-exact -D ${dev.join(' ')}` : ''].filter(Boolean).join(' && ');
  };
  const text = [
    drift.length ? `Not the tested versions: ${drift.map((n) => `${n} ${installedVersion(ctx.projectDir, n)} (tested: ${pinned[n]})`).join(', ')}.` : '',
    missing.length ? `Listed but not installed: ${missing.join(', ')}.` : '',
  ].filter(Boolean).join(' ');
  return warn(id, title, text, install([...drift, ...missing]));
};
