import type { Step } from '../../context.js';
import { chosenFeatures } from '../../features/index.js';
import { runScript } from '../../systems/package-manager.js';
import { devOnly } from '../production/scope.js';

/** --no-account: what runs where, what cannot work locally, and how to claim it all. */
export const showNoAccount: Step = {
  id: 'no-account-note',
  title: 'Running without an account',
  printsOnly: true,
  appliesTo: (ctx) => devOnly(ctx) && ctx.options.account === false,
  describe: () => 'print what runs locally, what does not, and how to claim the project',
  async run(ctx) {
    const webhooks = chosenFeatures(ctx.options).some((f) => f.workos?.webhookEndpoint);
    ctx.reporter.note(
      'Running without an account',
      [
        `Convex runs on this computer (a local anonymous deployment): \`${runScript(ctx.pm)} dev\` starts it with the app.`,
        `WorkOS: an unclaimed environment (client ID ${ctx.options.workosClientId ?? 'in .env.local'}); its claim token is in .env.local.`,
        ...(webhooks
          ? [
              'No webhook: WorkOS cannot reach a deployment on this computer. Users and organizations are synced',
              'instead on sign-in (the dashboard asks Convex to read the WorkOS events API at once) and every 10',
              `minutes while the app runs; \`${runScript(ctx.pm)} backfill\` copies everything at any time.`,
            ]
          : []),
        'To keep it: npx create-authkit-convex claim',
        '  claims the WorkOS environment (you sign up or in to WorkOS), moves Convex to your account',
        '  (a cloud dev deployment), then registers the webhook and sets its secret.',
      ].join('\n'),
    );
  },
};
