/** Running a deployment's functions for the sync socket. */
import type { DeploymentRuntime, SyncConnection } from './context.js';
import { isRecord } from './errors.js';

/** How the client sees a function's error (a ConvexError keeps its `data`). */
export function errorOf(err: unknown): { message: string; data?: unknown } {
  const e = err as { message?: unknown; data?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return e && typeof e === 'object' && 'data' in e && e.data !== undefined
    ? { message: `Uncaught ConvexError: ${message}`, data: e.data }
    : { message: `Uncaught Error: ${message}` };
}

/** Runs a query: the CLI's env var system queries (admin only), or the served functions. */
export async function runQuery(
  rt: DeploymentRuntime,
  conn: SyncConnection,
  udfPath: string,
  args: unknown,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string; errorData?: unknown }> {
  const d = rt.deployment;
  const [file = '', fn = 'default'] = udfPath.split(':');
  const module = file.replace(/\.js$/, '');
  const a = isRecord(args) ? args : {};
  if (module.startsWith('_system/')) {
    if (!conn.admin) return { ok: false, error: 'Unauthorized: this query needs an admin key' };
    const sorted = Object.keys(d.env).sort();
    if (module === '_system/cli/queryEnvironmentVariables') {
      if (fn === 'default') return { ok: true, value: sorted.map((name) => ({ name, value: d.env[name] })) };
      if (fn === 'get') {
        const name = typeof a.name === 'string' ? a.name : '';
        return { ok: true, value: name in d.env ? { name, value: d.env[name] } : null };
      }
    }
    return { ok: false, error: `Could not find public function for '${udfPath}'. (The Convex stand-in only serves env var system queries.)` };
  }
  if (!rt.functions) {
    return { ok: false, error: `Could not find public function for '${udfPath}'. (No functions are served by this Convex stand-in deployment.)` };
  }
  try {
    return { ok: true, value: (await rt.functions.query(`${module}:${fn}`, a, conn.identity)) ?? null };
  } catch (err) {
    const { message, data } = errorOf(err);
    return { ok: false, error: message, ...(data === undefined ? {} : { errorData: data }) };
  }
}
