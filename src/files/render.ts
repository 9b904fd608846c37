/**
 * Renders `templates/<feature>/…` into an in-memory tree that mirrors the project. Files ending in
 * `.hbs` go through Handlebars (and lose the suffix); everything else is copied as is. Features render
 * in order, and a later feature's file replaces an earlier one's at the same path.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'fs-extra';
import type { FileTree } from './tree.js';

export interface TemplateData {
  projectName: string;
  packageManager: string;
  pmRun: string;
  /** Runs a binary the project installed (`npx convex`, `pnpm exec convex`). */
  pmExec: string;
  /** Runs a one-off package (`npx`, `pnpm dlx`, `yarn dlx`, `bunx`). */
  pmDlx: string;
  redirectUri: string;
  /** The app's /sign-in page, on the redirect URI's origin (the dashboard's sign-in endpoint). */
  signInUrl: string;
  features: { webhooks: boolean; sso: boolean };
}

/** The package root (holding templates/), from dist/ or from src/ alike. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'templates')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const templatesDir = () => path.join(packageRoot(), 'templates');

export function featuresOf(data: TemplateData): string[] {
  return ['base', ...(data.features.webhooks ? ['webhooks'] : []), ...(data.features.sso ? ['sso'] : [])];
}

export async function renderTemplates(features: string[], data: TemplateData): Promise<FileTree> {
  const { default: Handlebars } = await import('handlebars');
  const tree: FileTree = new Map();
  for (const feature of features) {
    const root = path.join(templatesDir(), feature);
    if (!(await fs.pathExists(root))) continue;
    for (const file of await walk(root)) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      const text = await fs.readFile(file, 'utf8');
      if (rel.endsWith('.hbs')) {
        const render = Handlebars.compile(text, { noEscape: true, strict: true });
        tree.set(rel.slice(0, -'.hbs'.length), render(data));
      } else {
        tree.set(rel, text);
      }
    }
  }
  return tree;
}

/** package.json scripts each feature needs (templates/package-additions.json). */
export async function packageAdditions(features: string[]): Promise<{ scripts: Record<string, string> }> {
  const file = path.join(templatesDir(), 'package-additions.json');
  const all = (await fs.pathExists(file)) ? ((await fs.readJson(file)) as Record<string, { scripts?: Record<string, string> }>) : {};
  const scripts: Record<string, string> = {};
  for (const f of features) Object.assign(scripts, all[f]?.scripts);
  return { scripts };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out.sort();
}
