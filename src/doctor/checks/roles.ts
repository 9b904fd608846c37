/** Roles and permissions as code: the WorkOS environment has what workos/roles.json declares. */
import { UsageError } from '../../errors.js';
import { describeDrift, drift, environmentRoles, hasDrift, readRolesFile, ROLES_FILE } from '../../steps/organizations/roles-file.js';
import type { DoctorContext } from '../context.js';
import { fail, pass, skip, type Check } from '../types.js';

export const rolesMatch: Check = async (ctx: DoctorContext) => {
  const id = 'workos.roles';
  const title = `WorkOS has the roles and permissions of ${ROLES_FILE}`;
  if (!ctx.features.includes('organizations')) return skip(id, title, 'this project has no organizations (--add-organizations)');
  if (!ctx.apiKey || !ctx.clientId) return skip(id, title, `${ctx.envFile} lacks a valid WORKOS_API_KEY / WORKOS_CLIENT_ID (see above)`);
  let file;
  try {
    file = await readRolesFile(ctx.projectDir);
  } catch (error) {
    if (error instanceof UsageError) return fail(id, title, error.message, error.fix ?? `Fix ${ROLES_FILE}.`);
    throw error;
  }
  const api = await ctx.workos();
  let env;
  try {
    env = await environmentRoles(api);
  } catch (error) {
    return fail(id, title, `Could not list the roles of the WorkOS environment (${api.origin}): ${(error as Error).message}`, 'Check the API key and your network, then run doctor again.');
  }
  const d = drift(file, env);
  if (!hasDrift(d)) return pass(id, title, `${file.roles.length} roles, ${file.permissions.length} permissions`);
  const fix = ctx.convexTarget ? 'npx create-authkit-convex --add-production (with the production WorkOS keys) creates them' : 'npx create-authkit-convex --add-organizations creates them (run inside the project)';
  return fail(id, title, `The environment differs from ${ROLES_FILE}: ${describeDrift(d)}.`, fix);
};
