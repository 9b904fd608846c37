/**
 * Renders a project's files into an in-memory tree (files/tree.ts): each chosen feature's
 * `templates/<id>/…`, and the project's own package.json (the features' scripts) and .gitignore,
 * patched from what is on disk. Files ending in `.hbs` go through Handlebars (and lose the suffix);
 * everything else is copied as is. Two features never write the same file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'fs-extra';
import type { Context } from '../context.js';
import { features, featureIds, type Feature } from '../features/index.js';
import { binText, execText, runScript } from '../systems/package-manager.js';
import { ciData, type CiData } from './ci-workflow.js';
import { withIgnored } from './gitignore.js';
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
  /** Which features the project has, by id (`{{#if features.sso}}`). */
  features: Record<string, boolean>;
  /** The package manager's lines in the CI workflow. */
  ci: CiData;
}

/** The package root (holding templates/), from dist/ or from src/ alike. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'templates')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const templatesDir = () => path.join(packageRoot(), 'templates');

export function templateData(ctx: Pick<Context, 'projectDir' | 'pm' | 'options'>, chosen: Feature[]): TemplateData {
  const ids = new Set(featureIds(chosen));
  return {
    projectName: path.basename(ctx.projectDir),
    packageManager: ctx.pm,
    pmRun: runScript(ctx.pm),
    pmExec: binText(ctx.pm),
    pmDlx: execText(ctx.pm),
    redirectUri: ctx.options.redirectUri,
    signInUrl: new URL('/sign-in', ctx.options.redirectUri).href,
    features: Object.fromEntries(features.map((f) => [f.id, ids.has(f.id)])),
    ci: ciData(ctx.pm),
  };
}

export async function renderTemplates(chosen: Feature[], data: TemplateData): Promise<FileTree> {
  const { default: Handlebars } = await import('handlebars');
  const tree: FileTree = new Map();
  const from = new Map<string, string>();
  for (const feature of chosen) {
    const root = path.join(templatesDir(), feature.id);
    if (!(await fs.pathExists(root))) continue;
    for (const file of await walk(root)) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      const text = await fs.readFile(file, 'utf8');
      const target = rel.endsWith('.hbs') ? rel.slice(0, -'.hbs'.length) : rel;
      // One owner per file: a feature changes another's file through `{{#if features.<id>}}` in it.
      if (from.has(target)) throw new Error(`templates/${feature.id} and templates/${from.get(target)} both write ${target}`);
      from.set(target, feature.id);
      tree.set(target, rel.endsWith('.hbs') ? Handlebars.compile(text, { noEscape: true, strict: true })(data) : text);
    }
  }
  return tree;
}

/**
 * The project's own files the features patch: package.json gains their scripts, .gitignore the lines
 * it must have. Made from what is on disk now (absent files are left out), so they are merges, never
 * a replacement of the user's version.
 */
export async function renderPatches(projectDir: string, chosen: Feature[]): Promise<FileTree> {
  const tree: FileTree = new Map();
  const pkgFile = path.join(projectDir, 'package.json');
  if (await fs.pathExists(pkgFile)) {
    const text = await fs.readFile(pkgFile, 'utf8');
    const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
    const scripts = { ...pkg.scripts, ...Object.assign({}, ...chosen.map((f) => f.scripts ?? {})) };
    const same = JSON.stringify(scripts) === JSON.stringify(pkg.scripts ?? {});
    tree.set('package.json', same ? text : JSON.stringify({ ...pkg, scripts }, null, 2) + '\n');
  }
  const ignoreFile = path.join(projectDir, '.gitignore');
  tree.set('.gitignore', withIgnored((await fs.pathExists(ignoreFile)) ? await fs.readFile(ignoreFile, 'utf8') : ''));
  return tree;
}

/** Every file a run writes for the chosen features: the templates, then the patched project files. */
export async function renderProject(ctx: Pick<Context, 'projectDir' | 'pm' | 'options'>, chosen: Feature[]): Promise<{ tree: FileTree; patched: Set<string> }> {
  const tree = await renderTemplates(chosen, templateData(ctx, chosen));
  const patches = await renderPatches(ctx.projectDir, chosen);
  for (const [rel, content] of patches) tree.set(rel, content);
  return { tree, patched: new Set(patches.keys()) };
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
