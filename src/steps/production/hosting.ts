import { randomBytes } from 'node:crypto';
import path from 'node:path';
import fs from 'fs-extra';
import type { Step } from '../../context.js';
import { ENV } from '../../env-names.js';
import { mergeEnvFile, readEnvFile } from '../../files/env-file.js';
import { ensureGitignore } from '../../files/gitignore.js';
import { writeFileAtomic } from '../../files/tree.js';
import { addSecret } from '../../secrets.js';
import { runScript } from '../../systems/package-manager.js';
import { production, productionOnly, productionOrigin } from './scope.js';

/** What the host's production build and server read (Next.js loads it for `next build`/`next start` too; the convex CLI does not). */
export const PRODUCTION_ENV_FILE = '.env.production.local';
/** The build command to give the host: deploys convex/ to production, then builds the app against it. */
export const BUILD_SCRIPT = 'build:production';

export const writeHosting: Step = {
  id: 'production-hosting',
  title: 'Write the hosting side',
  always: true,
  appliesTo: productionOnly,
  describe: (ctx) => `${PRODUCTION_ENV_FILE} (mode 0600, git-ignored) and the "${BUILD_SCRIPT}" script: convex deploy --cmd '${runScript(ctx.pm)} build'`,
  async run(ctx) {
    const state = production(ctx);
    const current = await readEnvFile(ctx.projectDir, PRODUCTION_ENV_FILE);
    // Made once and kept on reruns, like the dev one (authkit-nextjs needs at least 32 characters).
    const theirs = current[ENV.workosCookiePassword];
    const cookie = theirs && theirs.length >= 32 ? theirs : randomBytes(32).toString('base64url');
    addSecret(cookie);
    const values = {
      [ENV.convexDeployKey]: state.deployKey!,
      [ENV.workosClientId]: ctx.options.workosClientId,
      [ENV.workosApiKey]: ctx.options.workosApiKey,
      [ENV.workosCookiePassword]: cookie,
      [ENV.redirectUri]: `${productionOrigin(ctx)}/callback`,
    };
    const { kept } = await mergeEnvFile(ctx.projectDir, values, {
      file: PRODUCTION_ENV_FILE,
      overwrite: Object.keys(values).filter((k) => k !== ENV.workosCookiePassword),
      comment: 'Production: copy these to your host (create-authkit-convex --add-production)',
    });
    // What the host needs, as the file now holds it (a value of the user's own that was kept included).
    const written = await readEnvFile(ctx.projectDir, PRODUCTION_ENV_FILE);
    state.hostEnv = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, written[name] ?? value]));
    await ensureGitignore(ctx.projectDir);
    const script = await addBuildScript(ctx.projectDir, `convex deploy --cmd '${runScript(ctx.pm)} build'`);
    if (script === 'theirs') ctx.reporter.warn(`Kept your own "${BUILD_SCRIPT}" script in package.json.`);
    if (kept.length) ctx.reporter.warn(`Kept your own ${kept.join(', ')} in ${PRODUCTION_ENV_FILE}.`);

    // A host has one build command for production and previews: with previews, theirs serves both (with
    // the production deploy key, convex deploy targets production and the preview steps stand aside).
    const build = ctx.manifest.features.includes('previews')
      ? `${runScript(ctx.pm)} build:preview (it builds production too, with the production deploy key)`
      : `${runScript(ctx.pm)} ${BUILD_SCRIPT}`;
    ctx.reporter.note(
      'Ship it',
      [
        `Set these variables on your host for production (the values are in ${PRODUCTION_ENV_FILE}):`,
        ...Object.keys(values).map((name) => `  ${name}`),
        `Set the host's build command to: ${build}`,
        '(On Vercel: Settings → Environment Variables, Production; Settings → Build and Deployment → Build Command.)',
      ].join('\n'),
    );
    if (ctx.dashboardSteps?.length) ctx.reporter.note('Left for the WorkOS dashboard (no API for it)', ctx.dashboardSteps.join('\n'));
    return `${PRODUCTION_ENV_FILE}, ${BUILD_SCRIPT}`;
  },
};

/** Adds the build script unless package.json has its own under that name. */
async function addBuildScript(projectDir: string, command: string): Promise<'added' | 'same' | 'theirs'> {
  const file = path.join(projectDir, 'package.json');
  const text = await fs.readFile(file, 'utf8');
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  const existing = pkg.scripts?.[BUILD_SCRIPT];
  if (existing === command) return 'same';
  if (existing !== undefined) return 'theirs';
  await writeFileAtomic(file, JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, [BUILD_SCRIPT]: command } }, null, 2) + '\n');
  return 'added';
}
