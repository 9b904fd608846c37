/**
 * Convex-managed WorkOS on the account API: the routes the convex CLI 1.49 calls
 * (`lib/workos/platformApi.ts`), with the request and answer shapes of the CLI's `generatedApi`
 * (`HasAssociatedWorkOSTeamResponse`, `AvailableWorkOSTeamEmailsResponse`, `ProvisionWorkOSTeamResponse`,
 * `ProvisionEnvironmentResponse`, `WorkOSTeamHealthResponse`, `WorkOSEnvironmentHealthResponse`) and the
 * error codes the CLI matches. Which status goes with which code is not published: see UNCONFIRMED.md.
 * A provisioned environment is made by the `createEnvironment` hook (the world makes it a real
 * environment of the WorkOS stand-in, so its key and client ID work there).
 */
import { randomBytes } from 'node:crypto';
import type { ConvexContext } from './context.js';
import { HttpError, isRecord } from './errors.js';

export interface ManagedEnvironment {
  environmentId: string;
  environmentName: string;
  clientId: string;
  apiKey: string;
}

export interface ManagedWorkosTeam {
  id: string;
  name: string;
  adminEmail: string;
  productionState: 'active' | 'inactive' | 'suspended' | 'deleting';
}

/** The account's side of Convex-managed WorkOS; tests change it to set up each case. */
export interface ManagedWorkos {
  /** Verified emails of the logged-in Convex account. */
  emails: string[];
  /** Emails that already own a WorkOS account: WorkOS refuses to make a new team for them. */
  workosAccounts: string[];
  /** Ids of Convex teams the logged-in member is not an admin of. */
  notAdminOf: number[];
  /** WorkOS teams linked to Convex teams, by Convex team id. */
  teams: Map<number, ManagedWorkosTeam>;
  /** Environments by deployment name. */
  environments: Map<string, ManagedEnvironment>;
  /** Makes an environment (the world: in the WorkOS stand-in). */
  createEnvironment(deploymentName: string, production: boolean): Omit<ManagedEnvironment, 'environmentName'> & { environmentName?: string };
}

const random = (n: number) => randomBytes(n).toString('hex').toUpperCase();
const states = new WeakMap<ConvexContext, ManagedWorkos>();

export function managedWorkosOf(ctx: ConvexContext, hooks?: Pick<ManagedWorkos, 'createEnvironment'>): ManagedWorkos {
  let state = states.get(ctx);
  if (!state) {
    state = {
      emails: ['you@example.com'],
      workosAccounts: [],
      notAdminOf: [],
      teams: new Map(),
      environments: new Map(),
      createEnvironment:
        hooks?.createEnvironment ??
        (() => ({ environmentId: `environment_${random(13)}`, clientId: `client_${random(13)}`, apiKey: `sk_test_${randomBytes(18).toString('base64url')}` })),
    };
    states.set(ctx, state);
  }
  return state;
}

/** The deployment's Convex team id (404 for an unknown deployment, as the account API answers). */
function teamOfDeployment(ctx: ConvexContext, deploymentName: unknown): number {
  const d = ctx.state.deployments.find((x) => x.name === deploymentName);
  const project = ctx.state.projects.find((p) => p.id === d?.projectId);
  if (!d || !project) throw new HttpError(404, 'DeploymentNotFound', `Deployment ${String(deploymentName)} not found`);
  return project.teamId;
}

/** The routes under /api/ for managed WorkOS; undefined when the path is not one of them. */
export function managedWorkosRoute(ctx: ConvexContext, method: string, pathname: string, body: unknown): [number, unknown] | undefined {
  const mw = managedWorkosOf(ctx);
  const b = isRecord(body) ? body : {};
  const usedEmails = () => [...mw.teams.values()].map((t) => t.adminEmail);

  if (method === 'GET' && pathname === '/api/workos/available_workos_team_emails') {
    return [200, { availableEmails: mw.emails.filter((e) => !usedEmails().includes(e)), usedEmails: mw.emails.filter((e) => usedEmails().includes(e)) }];
  }
  if (method === 'POST' && pathname === '/api/workos/has_associated_workos_team') {
    const teamId = teamOfDeployment(ctx, b.deploymentName);
    const team = mw.teams.get(teamId);
    return [200, { hasAssociatedWorkosTeam: Boolean(team), teamId, ...(team ? { adminEmail: team.adminEmail, adminConvexEmail: team.adminEmail } : {}) }];
  }
  if (method === 'POST' && pathname === '/api/workos/provision_associated_workos_team') {
    const teamId = Number(b.teamId);
    const convexTeam = ctx.teams.find((t) => t.id === teamId);
    if (!convexTeam) throw new HttpError(404, 'TeamNotFound', `Team ${String(b.teamId)} not found`);
    if (mw.notAdminOf.includes(teamId)) throw new HttpError(403, 'Forbidden', 'You do not have permission to perform this operation (team:workos:provision).');
    if (mw.teams.has(teamId)) throw new HttpError(400, 'WorkOSTeamAlreadyProvisioned', `Team ${convexTeam.slug} already has a WorkOS team`);
    const email = String(b.email ?? '');
    if (!mw.emails.includes(email)) throw new HttpError(400, 'EmailNotVerified', `${email} is not a verified email of your account`);
    if (mw.workosAccounts.includes(email) || usedEmails().includes(email)) {
      throw new HttpError(400, 'WorkosAccountAlreadyExistsWithThisEmail', `A WorkOS account already exists with the email ${email}.`);
    }
    const team: ManagedWorkosTeam = { id: `team_${random(13)}`, name: convexTeam.name, adminEmail: email, productionState: 'inactive' };
    mw.teams.set(teamId, team);
    return [200, { workosTeamId: team.id, workosTeamName: team.name, adminEmail: email }];
  }
  if (method === 'POST' && pathname === '/api/workos/get_or_provision_workos_environment') {
    const name = String(b.deploymentName ?? '');
    const teamId = teamOfDeployment(ctx, name);
    if (!mw.teams.has(teamId)) throw new HttpError(400, 'WorkOSTeamNotProvisioned', 'This team does not have a WorkOS team yet');
    const known = mw.environments.get(name);
    if (known) return [200, { ...known, newlyProvisioned: false }];
    const made = mw.createEnvironment(name, b.environmentType === 'production' || b.isProduction === true);
    const env: ManagedEnvironment = { ...made, environmentName: made.environmentName ?? name };
    mw.environments.set(name, env);
    return [200, { ...env, newlyProvisioned: true }];
  }
  let m = /^\/api\/teams\/(\d+)\/workos_team_health$/.exec(pathname);
  if (method === 'GET' && m) {
    const team = mw.teams.get(Number(m[1]));
    return [200, team ? { teamProvisioned: true, teamInfo: { id: team.id, name: team.name, productionState: team.productionState } } : { teamProvisioned: false, teamInfo: null }];
  }
  m = /^\/api\/deployments\/([^/]+)\/workos_environment_health$/.exec(pathname);
  if (method === 'GET' && m) {
    teamOfDeployment(ctx, m[1]);
    const env = mw.environments.get(m[1]!);
    if (!env) throw new HttpError(404, 'WorkOSEnvironmentNotProvisioned', `No WorkOS environment for deployment ${m[1]}`);
    return [200, { id: env.environmentId, name: env.environmentName, clientId: env.clientId }];
  }
  return undefined;
}
