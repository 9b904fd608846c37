/**
 * The Convex stand-in's answers against the OpenAPI types Convex publishes: the CLI's own account API
 * (`convex/…/cli/generatedApi`, served under `/api/`) and the platform management and deployment APIs
 * (`@convex-dev/platform`, the package the convex CLI is typed against; served under `/v1/` and a
 * deployment's `/api/v1/`). Routes with no published type are listed in ../UNCONFIRMED.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConvexStandIn, type ConvexStandIn } from '../convex/index.js';
import { publishedShapes } from './published-shapes.js';

const ok = (paths: string, route: string, method: string) => `${paths}['${route}']['${method}']['responses'][200]['content']['application/json']`;
const T = {
  teams: "CliComponents['schemas']['TeamResponse'][]",
  projects: ok('MgmtPaths', '/teams/{team_id}/projects', 'get'),
  createProject: ok('MgmtPaths', '/teams/{team_id}/create_project', 'post'),
  createProjectArgs: "MgmtComponents['schemas']['PlatformCreateProjectArgs']",
  canonicalUrls: ok('DeployPaths', '/get_canonical_urls', 'get'),
  envChanges: "DeployComponents['schemas']['UpdateEnvVarsRequest']",
} as const;
const shapes = publishedShapes(Object.values(T));

let c: ConvexStandIn;
beforeAll(async () => {
  c = await startConvexStandIn();
});
afterAll(async () => {
  await c.close();
});

async function call(base: string, method: string, path: string, auth: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}
const account = (method: string, path: string, body?: unknown) => call(c.provisionHost, method, path, `Bearer ${c.token}`, body);

describe('Convex stand-in answers, as Convex publishes them', () => {
  it('teams (the CLI account API)', async () => {
    const teams = await account('GET', '/api/teams');
    expect(teams.status).toBe(200);
    expect((teams.json as unknown[]).length).toBeGreaterThan(0);
    expect(shapes.problems(teams.json, T.teams)).toEqual([]);
  });

  it('create a project, list projects (the platform management API)', async () => {
    const team = c.teams[0]!;
    const args = { projectName: 'Contract App', deploymentType: 'dev' };
    // What the request sends is what the published type allows: the stand-in's test is only as good as its input.
    expect(shapes.problems(args, T.createProjectArgs)).toEqual([]);
    const created = await account('POST', `/v1/teams/${team.id}/create_project`, args);
    expect(created.status).toBe(200);
    expect(shapes.problems(created.json, T.createProject)).toEqual([]);

    const list = await account('GET', `/v1/teams/${team.id}/projects`);
    expect(list.status).toBe(200);
    expect(shapes.problems(list.json, T.projects)).toEqual([]);
  });

  it("a deployment's canonical URLs and a variable change (the platform deployment API)", async () => {
    const d = c.state.deployments.find((x) => x.projectId !== null)!;
    expect(d).toBeTruthy();
    const urls = await call(d.url, 'GET', '/api/v1/get_canonical_urls', `Convex ${d.adminKey}`);
    expect(urls.status).toBe(200);
    expect(shapes.problems(urls.json, T.canonicalUrls)).toEqual([]);

    const changes = { changes: [{ name: 'CONTRACT_VAR', value: 'x' }] };
    expect(shapes.problems(changes, T.envChanges)).toEqual([]);
    const set = await call(d.url, 'POST', '/api/update_environment_variables', `Convex ${d.adminKey}`, changes);
    expect(set.status).toBe(200);
    expect(d.env.CONTRACT_VAR).toBe('x');
  });
});
