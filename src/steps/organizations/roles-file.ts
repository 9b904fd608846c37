/**
 * The generated app's roles and permissions as code (`workos/roles.json`): read, checked, and compared
 * with the WorkOS environment's. The file is the source of truth for what it names; roles and
 * permissions it does not name (made in the dashboard) are left alone.
 */
import path from 'node:path';
import fs from 'fs-extra';
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import type { WorkOSApi } from '../../systems/workos.js';

export const ROLES_FILE = 'workos/roles.json';

// WorkOS: "lowercase and contain only letters, numbers, hyphens, underscores, colons, periods, and asterisks".
const slug = z.string().regex(/^[a-z0-9_:.*-]+$/, 'a slug has only lowercase letters, digits and - _ : . *');
const entry = { slug, name: z.string().trim().min(1, 'a name is required'), description: z.string().optional() };
const rolesFile = z
  .object({
    permissions: z.array(z.object(entry).strict()),
    roles: z.array(z.object({ ...entry, permissions: z.array(slug) }).strict()),
  })
  .superRefine((file, ctx) => {
    const declared = new Set(file.permissions.map((p) => p.slug));
    for (const [i, role] of file.roles.entries()) {
      for (const p of role.permissions) {
        if (!declared.has(p)) ctx.addIssue({ code: 'custom', path: ['roles', i, 'permissions'], message: `role "${role.slug}" names the permission "${p}", which "permissions" does not declare` });
      }
    }
    for (const list of ['permissions', 'roles'] as const) {
      const seen = new Set<string>();
      for (const x of file[list]) {
        if (seen.has(x.slug)) ctx.addIssue({ code: 'custom', path: [list], message: `"${x.slug}" is declared twice` });
        seen.add(x.slug);
      }
    }
  });
export type RolesFile = z.infer<typeof rolesFile>;

/** The project's roles file, checked; a bad one is a UsageError naming the problem (nothing is sent to WorkOS). */
export async function readRolesFile(projectDir: string): Promise<RolesFile> {
  const file = path.join(projectDir, ROLES_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(
      missing ? `${ROLES_FILE} is missing: it declares the roles and permissions of the organizations.` : `${ROLES_FILE} is not valid JSON: ${(error as Error).message}`,
      missing ? 'Run create-authkit-convex --add-organizations again to write it.' : `Fix ${ROLES_FILE}, then run the command again.`,
    );
  }
  const parsed = rolesFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('\n');
    throw new UsageError(`${ROLES_FILE} is not a valid roles file:\n${problems}`, `Fix ${ROLES_FILE}, then run the command again.`);
  }
  return parsed.data;
}

/** What the environment lacks to match the file: permissions and roles to create, role permissions to set. */
export interface RolesDrift {
  createPermissions: RolesFile['permissions'];
  createRoles: RolesFile['roles'];
  /** Roles (existing or to create) whose permissions differ from the file's, with the file's list. */
  setPermissions: Array<{ slug: string; permissions: string[]; now: string[] }>;
}

export const hasDrift = (d: RolesDrift) => d.createPermissions.length + d.createRoles.length + d.setPermissions.length > 0;

/** The environment's roles and permissions (WorkOS: GET /authorization/roles, GET /authorization/permissions). */
export async function environmentRoles(api: WorkOSApi) {
  const roles = (await api.client.authorization.listEnvironmentRoles()).data;
  const permissions = await (await api.client.authorization.listPermissions({ limit: 100 })).autoPagination();
  return { roles: roles.map((r) => ({ slug: r.slug, permissions: r.permissions })), permissions: permissions.map((p) => p.slug) };
}

export function drift(file: RolesFile, env: { roles: Array<{ slug: string; permissions: string[] }>; permissions: string[] }): RolesDrift {
  const sorted = (list: string[]) => [...list].sort();
  const same = (a: string[], b: string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
  const setPermissions: RolesDrift['setPermissions'] = [];
  for (const role of file.roles) {
    const now = env.roles.find((r) => r.slug === role.slug)?.permissions ?? [];
    if (!same(now, role.permissions)) setPermissions.push({ slug: role.slug, permissions: role.permissions, now });
  }
  return {
    createPermissions: file.permissions.filter((p) => !env.permissions.includes(p.slug)),
    createRoles: file.roles.filter((r) => !env.roles.some((x) => x.slug === r.slug)),
    setPermissions,
  };
}

/** Makes the environment match the file: creates what is missing, then sets each differing role's permissions. */
export async function applyRoles(api: WorkOSApi, file: RolesFile): Promise<RolesDrift> {
  const d = drift(file, await environmentRoles(api));
  const { authorization } = api.client;
  for (const p of d.createPermissions) await authorization.createPermission({ slug: p.slug, name: p.name, description: p.description });
  for (const r of d.createRoles) await authorization.createEnvironmentRole({ slug: r.slug, name: r.name, description: r.description });
  for (const r of d.setPermissions) await authorization.setEnvironmentRolePermissions(r.slug, { permissions: r.permissions });
  return d;
}

export function describeDrift(d: RolesDrift): string {
  const parts = [
    ...d.createPermissions.map((p) => `permission ${p.slug} missing`),
    ...d.createRoles.map((r) => `role ${r.slug} missing`),
    ...d.setPermissions.filter((r) => !d.createRoles.some((c) => c.slug === r.slug)).map((r) => `role ${r.slug} has [${sortedText(r.now)}], the file says [${sortedText(r.permissions)}]`),
  ];
  return parts.join('; ');
}

const sortedText = (list: string[]) => [...list].sort().join(', ');
