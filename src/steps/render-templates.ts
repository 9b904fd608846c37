import type { Step } from '../context.js';
import { chosenFeatures, featureIds } from '../features/index.js';
import { renderProject } from '../files/render.js';
import { sha256, writeTree } from '../files/tree.js';

export const writeTemplates: Step = {
  id: 'templates',
  title: 'Write the auth, webhook and form files',
  // Some files are patched over what shadcn wrote (its CSS), and the forms import its components.
  waitsFor: ['shadcn'],
  // The run that installs adds shadcn and writes these (package.json alone is what --no-install makes).
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs shadcn/ui, added with the install (--no-install)'),
  describe: (ctx) => `render templates/{${featureIds(chosenFeatures(ctx.options)).join(',')}} into the project, with their package.json scripts`,
  async run(ctx) {
    const chosen = chosenFeatures(ctx.options);
    const { tree, patched } = await renderProject(ctx, chosen);
    for (const [rel, content] of tree) ctx.files.set(rel, content);
    const outcome = await writeTree(ctx.projectDir, ctx.files, ctx.manifest.files, {
      // The first run owns what create-next-app wrote (layout, page); reruns respect the user's edits.
      overwriteUnknown: Object.keys(ctx.manifest.files).length === 0,
      patched,
    });
    // Patched files stay the user's: their hash is not recorded, so a later edit is not taken for ours.
    for (const rel of [...outcome.written, ...outcome.unchanged]) if (!patched.has(rel)) ctx.manifest.files[rel] = sha256(ctx.files.get(rel)!);
    ctx.manifest.features = featureIds(chosen);
    if (outcome.keptUserEdits.length > 0) {
      ctx.reporter.warn(`You changed these files, so ours were written beside them as .authkit-new:\n${outcome.keptUserEdits.join('\n')}`);
    }
    // New backend code needs a push (again); a feature that only touches the Next.js side does not.
    const invalidates = outcome.written.some((rel) => rel.startsWith('convex/')) ? ['push-convex'] : [];
    return { detail: `${outcome.written.filter((rel) => !patched.has(rel)).length} files`, invalidates };
  },
};
