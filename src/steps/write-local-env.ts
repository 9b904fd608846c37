import type { Step } from '../context.js';
import { chosenFeatures, varsOf } from '../features/index.js';
import { ENV_FILE, mergeEnvFile, readEnvFile } from '../files/env-file.js';
import { addSecret } from '../secrets.js';

/** The Next.js side's variables. The cookie password is made once and kept on reruns. */
export const writeLocalEnv: Step = {
  id: 'local-env',
  title: `Write ${ENV_FILE}`,
  describe: () => `WorkOS keys, a random cookie password and the redirect URI in ${ENV_FILE} (mode 0600, git-ignored)`,
  async run(ctx) {
    const current = await readEnvFile(ctx.projectDir);
    const vars = varsOf(chosenFeatures(ctx.options), 'local');
    const values: Record<string, string> = {};
    for (const v of vars) {
      const value = v.value(ctx, current[v.name]);
      if (value === undefined) continue;
      if (v.secret) addSecret(value);
      values[v.name] = value;
    }
    const { kept } = await mergeEnvFile(ctx.projectDir, values, {
      // Our own keys follow the options of this run; anything else in the file is left alone.
      overwrite: vars.filter((v) => !v.keepTheirs).map((v) => v.name),
      comment: 'WorkOS AuthKit (create-authkit-convex)',
    });
    if (kept.length) ctx.reporter.warn(`Kept your own ${kept.join(', ')} in ${ENV_FILE}.`);
  },
};
