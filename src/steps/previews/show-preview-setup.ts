import type { Step } from '../../context.js';
import { ENV } from '../../env-names.js';
import { runScript } from '../../systems/package-manager.js';
import { previewsChosen } from './keys.js';

/** What only the hosting provider and the Convex dashboard can do: names of the variables, never values. */
export const showPreviewSetup: Step = {
  id: 'previews-setup',
  title: 'Preview deployments: the hosting side',
  printsOnly: true,
  appliesTo: (ctx) => previewsChosen(ctx.options),
  describe: () => 'print the build command and the variables the host needs for previews',
  async run(ctx) {
    const lines = [
      `Build command: ${runScript(ctx.pm)} build:preview`,
      '  (outside a preview build it only builds, so it can be the one build command of every environment)',
      'Variables for the Preview environment of your host (values: your WorkOS dashboard, .env.local):',
      `  CONVEX_DEPLOY_KEY: a preview deploy key (Convex dashboard → Project settings → Preview deploy keys)`,
      `  ${ENV.workosClientId}, ${ENV.workosApiKey}: the same keys as the project's preview defaults`,
      `  ${ENV.workosCookiePassword}: any random string of 32 characters or more`,
      'Each preview build registers its branch URL as a redirect URI and its own webhook endpoint.',
    ];
    ctx.reporter.note('Preview deployments', lines.join('\n'));
  },
};
