import type { Step } from '../context.js';
import { addedDependencies, dependencySpecs, initShadcn, SHADCN_COMPONENTS } from '../systems/shadcn.js';
import { SHADCN_VERSION } from '../versions.js';

export const addShadcn: Step = {
  id: 'shadcn',
  title: 'Add shadcn/ui',
  // shadcn reads package.json, tsconfig and the CSS, never node_modules, and installs nothing when
  // every dependency it names is listed (the create step listed them all): it runs beside the install.
  background: true,
  skipReason: (ctx) => (ctx.options.install ? undefined : 'comes with the install (--no-install)'),
  describe: () => `shadcn@${SHADCN_VERSION} init, then add ${SHADCN_COMPONENTS.join(', ')}, while the install runs`,
  async run(ctx) {
    const listed = await dependencySpecs(ctx.projectDir);
    await initShadcn(ctx.pm, ctx.projectDir, ctx.timeoutMs);
    // A dependency shadcn added was one it installed itself, beside ours: the pinned set lacks it.
    const added = addedDependencies(listed, await dependencySpecs(ctx.projectDir));
    if (added.length > 0) {
      throw Object.assign(
        new Error(`shadcn added ${added.join(', ')} to package.json and installed ${added.length === 1 ? 'it' : 'them'} while the app's own install ran`),
        { fix: `Run \`${ctx.pm} install\` in the project, then the same command again: it resumes at this step. (The shadcn registry names a dependency this version of create-authkit-convex does not pin: please report it.)` },
      );
    }
    return SHADCN_COMPONENTS.join(', ');
  },
};
