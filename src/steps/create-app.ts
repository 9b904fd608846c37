import type { Step } from '../context.js';
import { createNextApp } from '../systems/create-next-app.js';
import { CREATE_NEXT_APP_VERSION } from '../versions.js';

export const createApp: Step = {
  id: 'create-app',
  title: 'Create the Next.js app',
  describe: (ctx) =>
    `create-next-app@${CREATE_NEXT_APP_VERSION} ${ctx.projectDir} (TypeScript, Tailwind, ESLint, App Router, src/, @/*, ${ctx.pm})`,
  async run(ctx) {
    await createNextApp(ctx.projectDir, ctx.pm);
  },
};
