/**
 * Roles and permissions of the environment (WorkOS RBAC, `/authorization/…`), with the shapes of the
 * SDK's EnvironmentRoleResponse and PermissionResponse (@workos-inc/node 10). A new environment has
 * the roles `admin` and `member` and no permissions, as a new WorkOS environment does. The state hangs
 * off the stand-in's state object, so each environment (dev, production) has its own.
 */
import { ok, type ApiRequest, type Out, type WorkOSContext } from './context.js';
import { ApiError, notFound, unprocessable } from './errors.js';
import { newId, nowIso } from './ids.js';
import { paginate } from './paginate.js';
import type { StandInState } from './types.js';

export interface RoleRecord {
  object: 'role';
  id: string;
  name: string;
  slug: string;
  description: string | null;
  permissions: string[];
  resource_type_slug: string;
  type: 'EnvironmentRole';
  created_at: string;
  updated_at: string;
}

export interface PermissionRecord {
  object: 'permission';
  id: string;
  slug: string;
  name: string;
  description: string | null;
  resource_type_slug: string;
  system: boolean;
  created_at: string;
  updated_at: string;
}

interface RolesState {
  roles: RoleRecord[];
  permissions: PermissionRecord[];
}

const byState = new WeakMap<StandInState, RolesState>();
// "Must be lowercase and contain only letters, numbers, hyphens, underscores, colons, periods, and asterisks" (SDK docs).
const SLUG = /^[a-z0-9_:.*-]+$/;
const RESOURCE = 'environment';

function role(slug: string, name: string, description: string | null = null): RoleRecord {
  const ts = nowIso();
  return { object: 'role', id: newId('role'), name, slug, description, permissions: [], resource_type_slug: RESOURCE, type: 'EnvironmentRole', created_at: ts, updated_at: ts };
}

/** The environment's roles and permissions (made on first use). */
export function rolesOf(state: StandInState): RolesState {
  let s = byState.get(state);
  if (!s) byState.set(state, (s = { roles: [role('admin', 'Admin'), role('member', 'Member')], permissions: [] }));
  return s;
}

/** The permissions the token of a member with these roles carries (union, in declaration order). */
export function permissionsOfRoles(state: StandInState, slugs: string[]): string[] {
  const roles = rolesOf(state).roles.filter((r) => slugs.includes(r.slug));
  return [...new Set(roles.flatMap((r) => r.permissions))];
}

function slugOf(body: Record<string, unknown>): string {
  if (typeof body.slug !== 'string' || !SLUG.test(body.slug)) throw unprocessable('Validation failed', [{ field: 'slug', code: 'slug is invalid' }]);
  if (typeof body.name !== 'string' || !body.name) throw unprocessable('Validation failed', [{ field: 'name', code: 'name is required' }]);
  return body.slug;
}

const conflict = (what: string, slug: string) => new ApiError(409, { message: `A ${what} with slug '${slug}' already exists.`, code: `${what}_slug_conflict` });

export function roleRoutes(ctx: WorkOSContext, { method, path, query, body }: ApiRequest): Out | undefined {
  if (!path.startsWith('/authorization/')) return undefined;
  const s = rolesOf(ctx.state);
  let m: RegExpExecArray | null;

  if (path === '/authorization/permissions') {
    if (method === 'GET') return ok(paginate(s.permissions, query));
    if (method === 'POST') {
      const slug = slugOf(body);
      if (s.permissions.some((p) => p.slug === slug)) throw conflict('permission', slug);
      const ts = nowIso();
      const permission: PermissionRecord = {
        object: 'permission',
        id: newId('perm'),
        slug,
        name: body.name as string,
        description: typeof body.description === 'string' ? body.description : null,
        resource_type_slug: RESOURCE,
        system: false,
        created_at: ts,
        updated_at: ts,
      };
      s.permissions.push(permission);
      return ok(permission, 201);
    }
  }
  if (path === '/authorization/roles') {
    // Not paginated: the SDK reads `data` of one answer.
    if (method === 'GET') return ok({ object: 'list', data: s.roles });
    if (method === 'POST') {
      const slug = slugOf(body);
      if (s.roles.some((r) => r.slug === slug)) throw conflict('role', slug);
      const created = role(slug, body.name as string, typeof body.description === 'string' ? body.description : null);
      s.roles.push(created);
      return ok(created, 201);
    }
  }
  if ((m = /^\/authorization\/roles\/([^/]+)(\/permissions)?$/.exec(path))) {
    const slug = decodeURIComponent(m[1]!);
    const found = s.roles.find((r) => r.slug === slug);
    if (!found) throw notFound('Role', slug);
    if (!m[2] && method === 'GET') return ok(found);
    if (m[2] && method === 'PUT') {
      const permissions = body.permissions;
      if (!Array.isArray(permissions) || !permissions.every((p) => typeof p === 'string'))
        throw unprocessable('Validation failed', [{ field: 'permissions', code: 'permissions must be an array of slugs' }]);
      const unknown = permissions.filter((p) => !s.permissions.some((x) => x.slug === p));
      if (unknown.length > 0) throw notFound('Permission', unknown[0]!);
      found.permissions = [...new Set(permissions as string[])];
      found.updated_at = nowIso();
      return ok(found);
    }
  }
  return undefined;
}
