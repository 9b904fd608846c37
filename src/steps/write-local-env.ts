import { randomBytes } from 'node:crypto';
import type { Step } from '../context.js';
import { ENV_FILE, mergeEnvFile, readEnvFile } from '../files/env-file.js';
import { addSecret } from '../secrets.js';

/** The Next.js side's variables. The cookie password is made once and kept on reruns. */
export const writeLocalEnv: Step = {
  id: 'local-env',
  title: `Write ${ENV_FILE}`,
  describe: () => `WorkOS keys, a random cookie password and the redirect URI in ${ENV_FILE} (mode 0600, git-ignored)`,
  async run(ctx) {
    const current = await readEnvFile(ctx.projectDir);
    // 32 random bytes → 43 base64url characters; authkit-nextjs needs at least 32.
    const existing = current.WORKOS_COOKIE_PASSWORD;
    const cookiePassword = existing && existing.length >= 32 ? existing : randomBytes(32).toString('base64url');
    addSecret(cookiePassword);
    const { kept } = await mergeEnvFile(
      ctx.projectDir,
      {
        WORKOS_CLIENT_ID: ctx.options.workosClientId,
        WORKOS_API_KEY: ctx.options.workosApiKey,
        WORKOS_COOKIE_PASSWORD: cookiePassword,
        NEXT_PUBLIC_WORKOS_REDIRECT_URI: ctx.options.redirectUri,
      },
      // Our own keys follow the options of this run; anything else in the file is left alone.
      { overwrite: ['WORKOS_CLIENT_ID', 'WORKOS_API_KEY', 'NEXT_PUBLIC_WORKOS_REDIRECT_URI'], comment: 'WorkOS AuthKit (create-authkit-convex)' },
    );
    if (kept.length) ctx.reporter.warn(`Kept your own ${kept.join(', ')} in ${ENV_FILE}.`);
  },
};
