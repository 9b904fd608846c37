import path from 'node:path';
import fs from 'fs-extra';
import type { Step } from '../context.js';
import { useLocalGeist, usesGoogleFonts } from '../files/fonts.js';
import { writeFileAtomic } from '../files/tree.js';

export const useLocalFonts: Step = {
  id: 'fonts',
  title: 'Use local Geist fonts',
  // The geist package comes with the install; the run that installs does this step.
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the install (--no-install)'),
  describe: () => 'replace next/font/google with the geist package so the app builds offline',
  async run(ctx) {
    const srcDir = path.join(ctx.projectDir, 'src');
    const changed: string[] = [];
    for (const file of await listSources(srcDir)) {
      const source = await fs.readFile(file, 'utf8');
      if (!usesGoogleFonts(source)) continue;
      const next = useLocalGeist(source);
      if (usesGoogleFonts(next)) throw new Error(`${path.relative(ctx.projectDir, file)} still imports next/font/google.`);
      await writeFileAtomic(file, next);
      changed.push(path.relative(ctx.projectDir, file));
    }
    return changed.length ? changed.join(', ') : 'nothing to change';
  },
};

async function listSources(dir: string): Promise<string[]> {
  if (!(await fs.pathExists(dir))) return [];
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listSources(full)));
    else if (/\.(tsx?|jsx?|mjs)$/.test(entry.name)) out.push(full);
  }
  return out;
}
