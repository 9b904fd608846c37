/**
 * The Convex stand-in's managed-WorkOS routes: answers shaped as the convex CLI's own `generatedApi`
 * types, the error codes the CLI matches, and an environment that is a real one of the WorkOS stand-in
 * (its key and client ID work there), made once per deployment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedShapes } from '../contracts/published-shapes.js';
import { startWorld, type World } from '../../helpers/world.js';

const S = (name: string) => `CliComponents['schemas']['${name}']`;
const T = {
  emails: S('AvailableWorkOSTeamEmailsResponse'),
  hasTeam: S('HasAssociatedWorkOSTeamResponse'),
  provisionTeam: S('ProvisionWorkOSTeamResponse'),
  provisionTeamArgs: S('ProvisionWorkOSTeamRequest'),
  environment: S('ProvisionEnvironmentResponse'),
  teamHealth: S('WorkOSTeamHealthResponse'),
  environmentHealth: S('WorkOSEnvironmentHealthResponse'),
};
const shapes = publishedShapes(Object.values(T));

let world: World;
let deploymentName: string;
beforeAll(async () => {
  world = await startWorld();
  // A project with its dev deployment, as `convex dev --configure new` makes it.
  const res = await api('POST', `/v1/teams/${world.convex.teams[0]!.id}/create_project`, { projectName: 'mw', deploymentType: 'dev' });
  deploymentName = (res.json as { deploymentName: string }).deploymentName;
}, 60_000);
afterAll(async () => {
  await world?.close();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${world.convex.provisionHost}${path}`, {
    method,
    headers: { authorization: `Bearer ${world.convex.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('Convex-managed WorkOS on the Convex stand-in', () => {
  it('a team without a WorkOS team: no environment (WorkOSTeamNotProvisioned), then a team for a verified email, then one environment', async () => {
    const teamId = world.convex.teams[0]!.id;
    world.convex.managedWorkos.emails = ['you@example.com', 'taken@example.com'];
    world.convex.managedWorkos.workosAccounts = ['taken@example.com'];

    const health = await api('GET', `/api/teams/${teamId}/workos_team_health`);
    expect(health.json).toEqual({ teamProvisioned: false, teamInfo: null });
    expect(shapes.problems(health.json, T.teamHealth)).toEqual([]);
    const has = await api('POST', '/api/workos/has_associated_workos_team', { deploymentName });
    expect(has.json).toMatchObject({ hasAssociatedWorkosTeam: false, teamId });
    expect(shapes.problems(has.json, T.hasTeam)).toEqual([]);

    const early = await api('POST', '/api/workos/get_or_provision_workos_environment', { deploymentName, environmentType: 'nonproduction' });
    expect(early.status).toBe(400);
    expect(early.json.code).toBe('WorkOSTeamNotProvisioned');

    const emails = await api('GET', '/api/workos/available_workos_team_emails');
    expect(shapes.problems(emails.json, T.emails)).toEqual([]);
    expect(emails.json.availableEmails).toEqual(['you@example.com', 'taken@example.com']);

    const taken = await api('POST', '/api/workos/provision_associated_workos_team', { teamId, email: 'taken@example.com' });
    expect(taken.status).toBe(400);
    expect(taken.json.code).toBe('WorkosAccountAlreadyExistsWithThisEmail');

    const args = { teamId, email: 'you@example.com' };
    expect(shapes.problems(args, T.provisionTeamArgs)).toEqual([]);
    const team = await api('POST', '/api/workos/provision_associated_workos_team', args);
    expect(team.status).toBe(200);
    expect(shapes.problems(team.json, T.provisionTeam)).toEqual([]);
    expect((await api('GET', '/api/workos/available_workos_team_emails')).json.usedEmails).toEqual(['you@example.com']);

    const first = await api('POST', '/api/workos/get_or_provision_workos_environment', { deploymentName, environmentType: 'nonproduction' });
    expect(first.status).toBe(200);
    expect(shapes.problems(first.json, T.environment)).toEqual([]);
    expect(first.json.newlyProvisioned).toBe(true);
    const again = await api('POST', '/api/workos/get_or_provision_workos_environment', { deploymentName, environmentType: 'nonproduction' });
    expect(again.json).toEqual({ ...first.json, newlyProvisioned: false });

    // A real environment of the WorkOS stand-in: its key works there, on its own state.
    expect(world.workos.environments.map((e) => e.clientId)).toEqual([first.json.clientId]);
    const uris = await fetch(`${world.workos.origin}/user_management/redirect_uris`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(first.json.apiKey)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uri: 'http://localhost:3000/callback' }),
    });
    expect(uris.status).toBeLessThan(300);
    expect(world.workos.environments[0]!.state.redirectUris).toEqual(['http://localhost:3000/callback']);
    expect(world.workos.state.redirectUris).toEqual([]);
    const jwks = await fetch(`${world.workos.origin}/sso/jwks/${String(first.json.clientId)}`);
    expect(jwks.status).toBe(200);

    const envHealth = await api('GET', `/api/deployments/${deploymentName}/workos_environment_health`);
    expect(shapes.problems(envHealth.json, T.environmentHealth)).toEqual([]);
    expect(envHealth.json.clientId).toBe(first.json.clientId);
  });

  it('refusals: not a team admin (403), a team that already has one, an unknown deployment', async () => {
    const teamId = world.convex.teams[0]!.id;
    world.convex.managedWorkos.notAdminOf = [teamId];
    const refused = await api('POST', '/api/workos/provision_associated_workos_team', { teamId, email: 'you@example.com' });
    expect(refused.status).toBe(403);
    world.convex.managedWorkos.notAdminOf = [];
    const twice = await api('POST', '/api/workos/provision_associated_workos_team', { teamId, email: 'you@example.com' });
    expect(twice.status).toBe(400);
    const none = await api('GET', '/api/deployments/no-such-deployment/workos_environment_health');
    expect(none.status).toBe(404);
  });
});
