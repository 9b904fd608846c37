import type { Context, Step } from '../../context.js';
import { ENV, WORKOS_CLAIM_TOKEN } from '../../env-names.js';
import { mergeEnvFile, readEnvFile } from '../../files/env-file.js';
import { addSecret } from '../../secrets.js';
import { createUnclaimedEnvironment, UnclaimedEnvironmentError } from '../../systems/workos-unclaimed.js';
import { connectWorkOS, verifyKeys } from '../../systems/workos.js';
import { devOnly } from '../production/scope.js';

/**
 * --no-account: an unclaimed WorkOS environment (no account, no key), the way the official `workos`
 * CLI makes one. Its keys and claim token go to .env.local at once (0600, git-ignored), so a failed
 * run resumes with the same environment and `claim` finds the token there; never to argv or output.
 */
export const unclaimedWorkos: Step = {
  id: 'unclaimed-workos',
  title: 'Make an unclaimed WorkOS environment',
  // Every run: the key lives in .env.local and memory only, and a resumed run needs it again.
  always: true,
  appliesTo: (ctx) => devOnly(ctx) && ctx.options.account === false,
  describe: () => `a WorkOS environment with no account (claim it later: create-authkit-convex claim); its keys and claim token in .env.local`,
  async run(ctx) {
    // The manifest records the project as one without an account (until `claim`): reruns resume as such.
    ctx.manifest.options.account = false;
    const local = await readEnvFile(ctx.projectDir);
    let detail: string;
    if (local[WORKOS_CLAIM_TOKEN] && local[ENV.workosApiKey] && local[ENV.workosClientId]) {
      addSecret(local[WORKOS_CLAIM_TOKEN]);
      addSecret(local[ENV.workosApiKey]);
      ctx.options.workosApiKey = local[ENV.workosApiKey]!;
      ctx.options.workosClientId = local[ENV.workosClientId]!;
      detail = `environment of ${ctx.options.workosClientId} (from .env.local)`;
    } else {
      detail = await create(ctx);
    }
    ctx.manifest.options.workosClientId = ctx.options.workosClientId;
    ctx.workos = await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs);
    await verifyKeys(ctx.workos, ctx.options.workosClientId);
    return detail;
  },
};

async function create(ctx: Context): Promise<string> {
  let env;
  try {
    env = await createUnclaimedEnvironment(ctx.timeoutMs);
  } catch (error) {
    if (error instanceof UnclaimedEnvironmentError) {
      throw Object.assign(new Error(`WorkOS could not make an unclaimed environment: ${error.message}`), {
        fix: 'Run the same command again in a moment: it resumes at this step.',
      });
    }
    throw error;
  }
  await mergeEnvFile(
    ctx.projectDir,
    { [ENV.workosApiKey]: env.apiKey, [ENV.workosClientId]: env.clientId, [WORKOS_CLAIM_TOKEN]: env.claimToken },
    { overwrite: [ENV.workosApiKey, ENV.workosClientId, WORKOS_CLAIM_TOKEN], comment: 'Unclaimed WorkOS environment: claim it with `npx create-authkit-convex claim` (create-authkit-convex)' },
  );
  ctx.options.workosApiKey = env.apiKey;
  ctx.options.workosClientId = env.clientId;
  return `created ${env.clientId} (unclaimed)`;
}
