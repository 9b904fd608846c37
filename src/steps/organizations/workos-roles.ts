import type { Step } from '../../context.js';
import { chosenFeatures } from '../../features/index.js';
import { connectWorkOS } from '../../systems/workos.js';
import { applyRoles, readRolesFile, ROLES_FILE } from './roles-file.js';

/**
 * Creates the roles and permissions of workos/roles.json in the WorkOS environment (idempotent: only
 * what is missing or differs is sent). Runs every time, so an edit of the file reaches WorkOS on the
 * next run of the CLI; `doctor` reports the difference meanwhile. A production run (--add-production)
 * does the same in the production environment, whose keys the run has.
 */
export const syncWorkosRoles: Step = {
  id: 'workos-roles',
  title: 'Create the roles and permissions in WorkOS',
  always: true,
  appliesTo: (ctx) => chosenFeatures(ctx.options).some((f) => f.id === 'organizations'),
  skipReason: (ctx) => (ctx.options.install ? undefined : `needs ${ROLES_FILE}, written after the install (--no-install)`),
  describe: () => `the roles and permissions of ${ROLES_FILE}, through the WorkOS API (/authorization/roles, /authorization/permissions)`,
  async run(ctx) {
    const file = await readRolesFile(ctx.projectDir);
    const api = (ctx.workos ??= await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs));
    const d = await applyRoles(api, file);
    const changes = d.createPermissions.length + d.createRoles.length + d.setPermissions.length;
    return changes === 0 ? `${file.roles.length} roles already up to date` : `${d.createPermissions.length} permissions and ${d.createRoles.length} roles created, ${d.setPermissions.length} roles' permissions set`;
  },
};
