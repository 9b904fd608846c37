/** Reading a pushed auth.config.js the way the deployment does: evaluated with its environment variables. */
import vm from 'node:vm';
import type { CustomJwtProvider, Deployment } from './types.js';

/**
 * Evaluates a pushed (bundled ESM) auth.config.js with the deployment's environment variables and
 * returns its providers. The bundle is self-contained: `process.env.X` reads and an
 * `export { x as default }` (or `export default`) at the end.
 */
export function evaluateAuthConfigSource(source: string, env: Record<string, string>): CustomJwtProvider[] {
  if (/^\s*import\s/m.test(source)) throw new Error('auth.config.js imports other modules');
  const body = source
    .replace(/^\s*export\s*\{\s*([A-Za-z_$][\w$]*)\s+as\s+default\s*\}\s*;?/m, 'module.exports.default = $1;')
    .replace(/^\s*export\s+default\s+/m, 'module.exports.default = ');
  const module = { exports: {} as Record<string, unknown> };
  // As on Convex: reading a variable the deployment does not set throws (the file may catch it).
  const processEnv = new Proxy({ ...env }, {
    get(target, name) {
      if (typeof name !== 'string') return undefined;
      if (!(name in target)) throw new MissingEnvironmentVariable(name);
      return target[name];
    },
  });
  vm.runInNewContext(body, { module, exports: module.exports, process: { env: processEnv } }, { timeout: 1000 });
  const config = (module.exports.default ?? module.exports) as { providers?: unknown };
  if (!Array.isArray(config?.providers)) throw new Error('auth.config.js has no providers array');
  return (config.providers as Array<Record<string, unknown>>).filter((p) => p.type === 'customJwt') as unknown as CustomJwtProvider[];
}

/** What reading an unset variable in auth.config throws (Convex's AuthConfigMissingEnvironmentVariable). */
export class MissingEnvironmentVariable extends Error {
  constructor(readonly variable: string) {
    super(`Environment variable ${variable} is used in auth config file but its value was not set`);
  }
}

/** Env var names a module reads via `process.env.X` / `process.env["X"]`. */
export function envVarsReadBy(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)) if (m[1]) names.add(m[1]);
  for (const m of source.matchAll(/process\.env\[\s*["'`]([A-Za-z_][A-Za-z0-9_]*)["'`]\s*\]/g)) if (m[1]) names.add(m[1]);
  return [...names];
}

/** The providers of the deployment's last pushed auth.config.js, or why there are none. */
export function evaluateAuthConfig(d: Deployment): { providers: CustomJwtProvider[]; error?: string } {
  const push = d.pushes.at(-1);
  const mod = push?.modules.find((m) => /^auth\.config\.[cm]?js$/.test(m.path));
  if (!mod) return { providers: [], error: 'No auth.config.js was pushed to this deployment.' };
  try {
    const providers = evaluateAuthConfigSource(mod.source, d.env);
    return { providers };
  } catch (error) {
    return { providers: [], error: `Could not evaluate auth.config.js: ${(error as Error).message}` };
  }
}
