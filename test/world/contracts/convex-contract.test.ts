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
  project: ok('MgmtPaths', '/projects/{project_id}', 'get'),
  projectBySlug: ok('MgmtPaths', '/teams/{team_id_or_slug}/projects/{project_slug}', 'get'),
  createDeploymentArgs: "NonNullable<MgmtPaths['/projects/{project_id}/create_deployment']['post']['requestBody']>['content']['application/json']",
  createDeployment: ok('MgmtPaths', '/projects/{project_id}/create_deployment', 'post'),
  projectDeployment: ok('MgmtPaths', '/teams/{team_id_or_slug}/projects/{project_slug}/deployment', 'get'),
  deployment: ok('MgmtPaths', '/deployments/{deployment_name}', 'get'),
  deployKeyArgs: "NonNullable<MgmtPaths['/deployments/{deployment_name}/create_deploy_key']['post']['requestBody']>['content']['application/json']",
  deployKey: ok('MgmtPaths', '/deployments/{deployment_name}/create_deploy_key', 'post'),
  defaultEnv: ok('MgmtPaths', '/projects/{project_id}/list_default_environment_variables', 'get'),
  defaultEnvArgs: "NonNullable<MgmtPaths['/projects/{project_id}/update_default_environment_variables']['post']['requestBody']>['content']['application/json']",
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

  it('production: create the default prod deployment, find it, its deploy key (the platform management API)', async () => {
    const team = c.teams[0]!;
    const created = await account('POST', `/v1/teams/${team.id}/create_project`, { projectName: 'Contract Prod' });
    const { id, slug } = created.json as { id: number; slug: string };
    expect(shapes.problems((await account('GET', `/v1/projects/${id}`)).json, T.project)).toEqual([]);
    expect(shapes.problems((await account('GET', `/v1/teams/${team.slug}/projects/${slug}`)).json, T.projectBySlug)).toEqual([]);

    const args = { type: 'prod', isDefault: true };
    expect(shapes.problems(args, T.createDeploymentArgs)).toEqual([]);
    const prod = await account('POST', `/v1/projects/${id}/create_deployment`, args);
    expect(prod.status, JSON.stringify(prod.json)).toBe(200);
    expect(shapes.problems(prod.json, T.createDeployment)).toEqual([]);
    const name = (prod.json as { name: string }).name;

    const found = await account('GET', `/v1/teams/${team.slug}/projects/${slug}/deployment?defaultProd=true`);
    expect(found.status).toBe(200);
    expect(shapes.problems(found.json, T.projectDeployment)).toEqual([]);
    expect(shapes.problems((await account('GET', `/v1/deployments/${name}`)).json, T.deployment)).toEqual([]);

    const keyArgs = { name: 'contract' };
    expect(shapes.problems(keyArgs, T.deployKeyArgs)).toEqual([]);
    const key = await account('POST', `/v1/deployments/${name}/create_deploy_key`, keyArgs);
    expect(key.status).toBe(200);
    expect(shapes.problems(key.json, T.deployKey)).toEqual([]);
  });

  it("previews: the project's default variables (the platform management API)", async () => {
    const project = c.state.projects[0]!;
    const args = { changes: [{ name: 'WORKOS_CLIENT_ID', deploymentType: 'preview', value: 'client_contract' }] };
    expect(shapes.problems(args, T.defaultEnvArgs)).toEqual([]);
    const set = await account('POST', `/v1/projects/${project.id}/update_default_environment_variables`, args);
    expect(set.status, JSON.stringify(set.json)).toBe(200);
    const list = await account('GET', `/v1/projects/${project.id}/list_default_environment_variables?deploymentType=preview`);
    expect(list.status).toBe(200);
    expect(shapes.problems(list.json, T.defaultEnv)).toEqual([]);
    expect(JSON.stringify(list.json)).toContain('client_contract');
  });
});
