/**
 * The convex CLI's local anonymous deployment (--no-account): made by `npx convex dev` itself with
 * CONVEX_AGENT_MODE=anonymous (no login, no prompt), at the pinned local backend version.
 * `convex env set`/`env list` start the deployment's backend for the call when it is not running
 * (1.49: `withRunningBackend`, at the version its config records), so nothing else needs it up.
 *
 * `convex dev --once` (1.49) exits without stopping the backend it started (its cleanups do not run on
 * a normal exit), and the next `convex dev` refuses while one runs on the port: every convex CLI call
 * is reaped (runner `reapGroup`: what is left in its process group is stopped, and waited for).
 */
import { CONVEX_LOCAL_BACKEND_VERSION } from '../versions.js';
import { convex } from './convex.js';
import type { RunOptions } from './runner.js';

/** `anonymous:<name>` (no account) or `local:<name>` (a local deployment of a project). */
export const isLocalDeployment = (deployment: string | undefined) => /^(anonymous|local):/.test(deployment ?? '');

/** The arguments and variables every convex CLI call on a local anonymous deployment needs. */
export const LOCAL_BACKEND_ARGS = ['--local-backend-version', CONVEX_LOCAL_BACKEND_VERSION];
export const ANONYMOUS_ENV = { CONVEX_AGENT_MODE: 'anonymous' };

/**
 * A new local anonymous deployment, without pushing (variables come first). The CLI writes
 * CONVEX_DEPLOYMENT=anonymous:…, NEXT_PUBLIC_CONVEX_URL and NEXT_PUBLIC_CONVEX_SITE_URL to .env.local.
 * No login is read: the token variable is dropped, so a logged-in shell still gets an anonymous one.
 */
export async function provisionAnonymous(projectDir: string, opts: Partial<RunOptions> = {}) {
  return convex(projectDir, ['dev', '--once', '--skip-push', ...LOCAL_BACKEND_ARGS], {
    ...opts,
    env: { ...opts.env, ...ANONYMOUS_ENV, CONVEX_OVERRIDE_ACCESS_TOKEN: undefined },
  });
}
