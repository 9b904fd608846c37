/**
 * Public function calls over HTTP (`ConvexHttpClient`, `fetchMutation` from convex/nextjs):
 * `POST /api/query|mutation|action` with `{path, format: 'convex_encoded_json', args: [args]}`,
 * answered `{status: 'success', value}` or, when the function threw, status 560 with
 * `{status: 'error', errorMessage, errorData?}` (what convex 1.49's http_client reads).
 * Only anonymous callers: a call that carries a user's token is refused rather than run as nobody.
 */
import type http from 'node:http';
import type { DeploymentRuntime } from './context.js';
import { isRecord } from './errors.js';
import { errorOf } from './run-functions.js';

const KINDS = { '/api/query': 'query', '/api/mutation': 'mutation', '/api/action': 'action' } as const;

/** The answer to a public function call, or undefined when the request is not one. */
export async function functionCallRoute(
  rt: DeploymentRuntime,
  req: http.IncomingMessage,
  pathname: string,
  body: unknown,
): Promise<[number, unknown] | undefined> {
  const kind = KINDS[pathname as keyof typeof KINDS];
  if (req.method !== 'POST' || !kind) return undefined;
  // Admin calls (the CLI's `convex run`) are not served here either.
  if (req.headers.authorization) return [401, { code: 'Unauthenticated', message: 'The Convex stand-in serves only anonymous HTTP function calls' }];
  const path = isRecord(body) && typeof body.path === 'string' ? body.path : '';
  const args = isRecord(body) && Array.isArray(body.args) && isRecord(body.args[0]) ? body.args[0] : {};
  const run = rt.functions?.[kind];
  if (!run) return [560, { status: 'error', errorMessage: `Could not find public function for '${path}'. (No functions are served by this Convex stand-in deployment.)`, logLines: [] }];
  try {
    return [200, { status: 'success', value: (await run.call(rt.functions, path, args, null)) ?? null, logLines: [] }];
  } catch (err) {
    const { message, data } = errorOf(err);
    return [560, { status: 'error', errorMessage: message, ...(data === undefined ? {} : { errorData: data }), logLines: [] }];
  }
}
