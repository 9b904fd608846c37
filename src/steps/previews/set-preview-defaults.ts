import dotenv from 'dotenv';
import type { Step } from '../../context.js';
import { ENV } from '../../env-names.js';
import { isSecretName } from '../../secrets.js';
import { convex, dotenvText } from '../../systems/convex.js';
import { previewKeys, previewsChosen } from './keys.js';

const PREVIEW = ['--type', 'preview'];

/**
 * The project's default variables for preview deployments (`convex env default … --type preview`):
 * every preview deployment Convex creates starts with them, so its auth.config.ts and webhook code have
 * the WorkOS keys before the first push. Secrets go on stdin; the dev deployment is not touched.
 */
export const setPreviewDefaults: Step = {
  id: 'previews-defaults',
  title: 'Set the WorkOS keys as the defaults of preview deployments',
  appliesTo: (ctx) => previewsChosen(ctx.options),
  skipReason: (ctx) => {
    if (ctx.options.convexUrl) return 'preview deployments need Convex cloud (this project is self-hosted)';
    return ctx.options.install ? undefined : 'needs the Convex project (--no-install)';
  },
  describe: () => `${ENV.workosClientId} and ${ENV.workosApiKey} with npx convex env default set --type preview, from stdin`,
  async run(ctx) {
    const keys = previewKeys(ctx);
    const wanted: Record<string, string> = { [ENV.workosClientId]: keys.clientId, [ENV.workosApiKey]: keys.apiKey };
    const current = await listDefaults(ctx.projectDir, ctx.timeoutMs);
    const changes = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => current[name] !== value));
    if (Object.keys(changes).length > 0) {
      await convex(ctx.projectDir, ['env', 'default', 'set', ...PREVIEW, '--force'], { input: dotenvText(changes), timeoutMs: ctx.timeoutMs });
      const after = await listDefaults(ctx.projectDir, ctx.timeoutMs);
      const missing = Object.keys(wanted).filter((name) => after[name] !== wanted[name]);
      if (missing.length > 0) throw new Error(`the project's preview defaults do not show ${missing.join(', ')} after setting them`);
    }
    ctx.manifest.previews = { workosClientId: keys.clientId, defaults: Object.keys(wanted).sort() };
    return Object.keys(changes).length > 0 ? `set ${Object.keys(changes).join(', ')}` : 'already up to date';
  },
};

/** The preview defaults, values included (memory only: the output is never shown or logged). */
async function listDefaults(projectDir: string, timeoutMs: number): Promise<Record<string, string>> {
  const secretsIn = (stdout: string) => Object.entries(dotenv.parse(stdout)).filter(([name]) => isSecretName(name)).map(([, value]) => value);
  const result = await convex(projectDir, ['env', 'default', 'list', ...PREVIEW, '--include-values'], { timeoutMs, secretsIn });
  return dotenv.parse(result.rawStdout);
}
