/** Users, magic-auth codes, session revocation and organization memberships. */
import { randomInt } from 'node:crypto';
import { ok, type ApiRequest, type Out, type WorkOSContext } from './context.js';
import { ApiError, notFound, unprocessable } from './errors.js';
import { newId, nowIso } from './ids.js';
import { paginate } from './paginate.js';
import { addUser, findOrCreateUserByEmail, recordEvent } from './records.js';
import type { User } from './types.js';

/** Magic auth, session revoke, users and memberships. */
export function userRoutes(ctx: WorkOSContext, { method, path, query, body }: ApiRequest): Out | undefined {
  const { state } = ctx;
  let m: RegExpExecArray | null;

  // magic auth
  if (method === 'POST' && path === '/user_management/magic_auth') {
    const email = body.email;
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email))
      throw unprocessable('Validation failed', [{ field: 'email', code: 'email must be a valid email' }]);
    const user = findOrCreateUserByEmail(state, email);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const ts = nowIso();
    const rec = {
      id: newId('magic_auth'),
      email: user.email,
      code,
      user_id: user.id,
      expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
      used: false,
    };
    state.magicCodes.push(rec);
    recordEvent(state, 'magic_auth.created', { object: 'magic_auth', id: rec.id, user_id: user.id, email: user.email, expires_at: rec.expires_at, created_at: ts, updated_at: ts });
    return ok(
      { object: 'magic_auth', id: rec.id, user_id: user.id, email: user.email, expires_at: rec.expires_at, code, created_at: ts, updated_at: ts },
      201,
    );
  }
  if (method === 'POST' && path === '/user_management/sessions/revoke') {
    const s = typeof body.session_id === 'string' ? ctx.sessions.get(body.session_id) : undefined;
    if (!s) throw new ApiError(400, { message: 'Session not found.', code: 'session_not_found' });
    s.revoked = true;
    return ok({});
  }

  // users
  if (path === '/user_management/users') {
    if (method === 'GET') {
      let list = state.users;
      if (query.email) list = list.filter((u) => u.email === query.email!.toLowerCase());
      if (query.organization_id)
        list = list.filter((u) =>
          state.memberships.some((mm) => mm.user_id === u.id && mm.organization_id === query.organization_id),
        );
      return ok(paginate(list, query));
    }
    if (method === 'POST') {
      if (typeof body.email !== 'string') throw unprocessable('Validation failed', [{ field: 'email', code: 'email is required' }]);
      if (state.users.some((u) => u.email === String(body.email).toLowerCase()))
        throw unprocessable('Validation failed', [{ field: 'email', code: 'email_not_available' }]);
      return ok(addUser(state, body as Partial<User> & { email: string }), 201);
    }
  }
  if (method === 'GET' && (m = /^\/user_management\/users\/([^/]+)$/.exec(path))) {
    const id = decodeURIComponent(m[1]!);
    const u = state.users.find((x) => x.id === id);
    if (!u) throw notFound('User', id);
    return ok(u);
  }

  // memberships
  if (method === 'GET' && path === '/user_management/organization_memberships') {
    if (!query.user_id && !query.organization_id)
      throw unprocessable('Either user_id or organization_id must be provided.', [
        { field: 'user_id', code: 'required' },
      ]);
    const statuses = (query.statuses ?? 'active').split(',');
    const list = state.memberships.filter(
      (x) =>
        (!query.user_id || x.user_id === query.user_id) &&
        (!query.organization_id || x.organization_id === query.organization_id) &&
        statuses.includes(x.status),
    );
    return ok(paginate(list, query));
  }
  if (method === 'GET' && (m = /^\/user_management\/organization_memberships\/([^/]+)$/.exec(path))) {
    const id = decodeURIComponent(m[1]!);
    const x = state.memberships.find((mm) => mm.id === id);
    if (!x) throw notFound('Organization membership', id);
    return ok(x);
  }
  return undefined;
}
