import path from 'node:path';
import fs from 'fs-extra';
import type { Context, Step } from '../context.js';
import { featuresOf, packageAdditions, renderTemplates, type TemplateData } from '../files/render.js';
import { sha256, writeFileAtomic, writeTree } from '../files/tree.js';
import { binText, execText, runScript } from '../systems/package-manager.js';

export function templateData(ctx: Context): TemplateData {
  return {
    projectName: path.basename(ctx.projectDir),
    packageManager: ctx.pm,
    pmRun: runScript(ctx.pm),
    pmExec: binText(ctx.pm),
    pmDlx: execText(ctx.pm),
    redirectUri: ctx.options.redirectUri,
    signInUrl: new URL('/sign-in', ctx.options.redirectUri).href,
    features: { webhooks: ctx.options.webhooks, sso: ctx.options.sso },
  };
}

/** Scripts the templates need (npm run dev runs Next and convex dev together, …). */
async function addScripts(projectDir: string, scripts: Record<string, string>): Promise<void> {
  const file = path.join(projectDir, 'package.json');
  const pkg = await fs.readJson(file);
  pkg.scripts = { ...pkg.scripts, ...scripts };
  await writeFileAtomic(file, JSON.stringify(pkg, null, 2) + '\n');
}

export const writeTemplates: Step = {
  id: 'templates',
  title: 'Write the auth, webhook and form files',
  // The files import shadcn's components, which come with the install: the run that installs writes them.
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs shadcn/ui, added after the install (--no-install)'),
  describe: (ctx) => `render templates/{${featuresOf(templateData(ctx)).join(',')}} into the project`,
  async run(ctx) {
    const data = templateData(ctx);
    const features = featuresOf(data);
    const tree = await renderTemplates(features, data);
    for (const [rel, content] of tree) ctx.files.set(rel, content);
    // Before the files: once they are written, the step's only outcome left is what it invalidates.
    await addScripts(ctx.projectDir, (await packageAdditions(features)).scripts);
    const outcome = await writeTree(ctx.projectDir, ctx.files, ctx.manifest.files, {
      // The first run owns what create-next-app wrote (layout, page); reruns respect the user's edits.
      overwriteUnknown: Object.keys(ctx.manifest.files).length === 0,
    });
    for (const rel of [...outcome.written, ...outcome.unchanged]) ctx.manifest.files[rel] = sha256(ctx.files.get(rel)!);
    ctx.manifest.features = features;
    if (outcome.keptUserEdits.length > 0) {
      ctx.reporter.warn(`You changed these files, so ours were written beside them as .authkit-new:\n${outcome.keptUserEdits.join('\n')}`);
    }
    // New backend code needs a push (again); a feature that only touches the Next.js side does not.
    const invalidates = outcome.written.some((rel) => rel.startsWith('convex/')) ? ['push-convex'] : [];
    return { detail: `${outcome.written.length} files`, invalidates };
  },
};
