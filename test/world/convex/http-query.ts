/**
 * POST /api/query: a query over HTTP, as `ConvexHttpClient` (and so `preloadQuery`/`fetchQuery` in
 * Next.js) sends it: `{path, format: 'convex_encoded_json', args: [args]}`, the user's JWT as
 * `Authorization: Bearer`. A token the deployment cannot verify is refused with 401 before the
 * query runs; a query that throws answers 560 `{status: 'error', errorMessage}` (the client's
 * STATUS_CODE_UDF_FAILED). The refusal's body is UNCONFIRMED.md's.
 */
import type http from 'node:http';
import { sendJson } from '../http.js';
import type { ConvexContext, DeploymentRuntime } from './context.js';
import { isRecord } from './errors.js';
import { errorOf } from './run-functions.js';
import { identityFrom, judgeUserToken, refusal } from './sync-auth.js';
import type { Identity } from './types.js';

export async function httpQuery(ctx: ConvexContext, rt: DeploymentRuntime, req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> {
  const d = rt.deployment;
  const header = req.headers.authorization ?? '';
  let identity: Identity | null = null;
  if (header.startsWith('Bearer ')) {
    const token = header.slice('Bearer '.length);
    const judgedAt = new Date(Date.now() + (d.httpClockAheadSeconds ?? 0) * 1000);
    const check = await judgeUserToken(ctx, d, token, 0, judgedAt);
    if (!check.ok) {
      sendJson(res, 401, { code: 'Unauthenticated', message: refusal(check) });
      return;
    }
    identity = identityFrom(check.claims as Record<string, unknown>);
  }
  const path = isRecord(body) && typeof body.path === 'string' ? body.path : '';
  const args = isRecord(body) && Array.isArray(body.args) && isRecord(body.args[0]) ? body.args[0] : {};
  if (!rt.functions) {
    sendJson(res, 404, { code: 'NotFound', message: `Could not find public function for '${path}'. (No functions are served by this Convex stand-in deployment.)` });
    return;
  }
  const [file = '', fn = 'default'] = path.split(':');
  try {
    const value = await rt.functions.query(`${file.replace(/\.js$/, '')}:${fn}`, args, identity);
    sendJson(res, 200, { status: 'success', value: value ?? null, logLines: [] });
  } catch (err) {
    const { message, data } = errorOf(err);
    sendJson(res, 560, { status: 'error', errorMessage: message, ...(data === undefined ? {} : { errorData: data }), logLines: [] });
  }
}
