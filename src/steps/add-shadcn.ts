import type { Step } from '../context.js';
import { initShadcn, SHADCN_COMPONENTS } from '../systems/shadcn.js';
import { SHADCN_VERSION } from '../versions.js';

export const addShadcn: Step = {
  id: 'shadcn',
  title: 'Add shadcn/ui',
  waitsFor: ['install'],
  skipReason: (ctx) => (ctx.options.install ? undefined : 'needs the install (--no-install)'),
  describe: () => `shadcn@${SHADCN_VERSION} init, then add ${SHADCN_COMPONENTS.join(', ')}`,
  async run(ctx) {
    await initShadcn(ctx.pm, ctx.projectDir, ctx.timeoutMs);
    return SHADCN_COMPONENTS.join(', ');
  },
};
