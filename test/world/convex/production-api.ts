/**
 * Production deployments in the Convex stand-in: the platform API routes (`/v1/…`) and account API
 * routes (`/api/deployment/…`) that convex 1.49's `deployment create`, `deployment token create`,
 * `deploy` and `--deployment`/`--prod` selection call, with deploy keys scoped to one deployment.
 *
 * Shapes are what the CLI reads (src/cli/deploymentCreate.ts, deploymentTokenCreate.ts, lib/api.ts,
 * lib/deploymentSelection.ts of the published package); other fields the real service sends are unknown.
 */
import { randomBytes } from 'node:crypto';
import type { ConvexContext } from './context.js';
import { createDeployment } from './deployments.js';
import { HttpError, isRecord } from './errors.js';
import type { Deployment, Project } from './types.js';

/** A number that stays the same for a deployment name (the platform API's deployments have numeric ids). */
const idOf = (name: string) => [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 2_147_483_647, 7);

/** A deployment as the platform API lists it (`PlatformDeploymentResponse`; class and region values are examples). */
function deploymentView(d: Deployment) {
  return {
    kind: 'cloud',
    id: idOf(d.name),
    class: 's16',
    region: 'aws-us-east-1',
    name: d.name,
    deploymentType: d.deploymentType ?? 'dev',
    projectId: d.projectId,
    deploymentUrl: d.url,
    reference: d.reference ?? `${d.deploymentType ?? 'dev'}/${d.name}`,
    isDefault: d.isDefault ?? true,
    createTime: 0,
  };
}

const projectView = (p: Project) => ({ id: p.id, name: p.name, slug: p.slug, teamId: p.teamId, teamSlug: p.teamSlug, createTime: p.createTime });

/** What `authorize_*` and `provision_and_authorize` answer: the credentials of one deployment. */
export const credentials = (d: Deployment) => ({
  adminKey: d.adminKey,
  url: d.url,
  deploymentName: d.name,
  deploymentType: d.deploymentType ?? 'dev',
  isDefault: d.isDefault ?? true,
  reference: d.reference ?? `${d.deploymentType ?? 'dev'}/${d.name}`,
});

export const defaultProdOf = (ctx: ConvexContext, project: Project) =>
  ctx.state.deployments.find((d) => d.projectId === project.id && d.deploymentType === 'prod' && d.isDefault);

/** A new prod deployment of the project (the default one when `isDefault`; a project has at most one). */
export async function createProd(ctx: ConvexContext, project: Project, reference: string | null, isDefault: boolean): Promise<Deployment> {
  if (isDefault && defaultProdOf(ctx, project)) {
    throw new HttpError(400, 'DefaultDeploymentAlreadyExists', 'This project already has a default production deployment.');
  }
  const d = await createDeployment(ctx, project.id, 'prod');
  d.reference = reference ?? 'production';
  d.isDefault = isDefault;
  return d;
}

/** The deployment a deploy key (`prod:<name>|<secret>`) was made for, if the key is one the stand-in issued. */
export function deploymentOfKey(ctx: ConvexContext, key: unknown): Deployment | undefined {
  if (typeof key !== 'string') return undefined;
  return ctx.state.deployments.find((d) => d.deployKeys?.some((k) => k.key === key));
}

/** Whether `key` may administer `d`: its admin key, or a deploy key made for it (never one made for another). */
export function keyAdministers(d: Deployment, key: unknown): boolean {
  return typeof key === 'string' && (key === d.adminKey || Boolean(d.deployKeys?.some((k) => k.key === key)));
}

/**
 * Routes of the account API where the deploy key in the body is the credential (the CLI resolves the
 * deployment of a `CONVEX_DEPLOY_KEY` through them). Undefined: not such a route.
 */
export function deployKeyRoute(ctx: ConvexContext, method: string, pathname: string, body: unknown): [number, unknown] | undefined {
  if (method !== 'POST') return undefined;
  if (pathname !== '/api/deployment/url_for_key' && pathname !== '/api/deployment/team_and_project_for_key') return undefined;
  const d = deploymentOfKey(ctx, isRecord(body) ? body.deployKey : undefined);
  if (!d) throw new HttpError(401, 'Unauthenticated', 'The deploy key is not valid.');
  if (pathname === '/api/deployment/url_for_key') return [200, d.url];
  const project = ctx.state.projects.find((p) => p.id === d.projectId)!;
  return [200, { team: project.teamSlug, project: project.slug, teamId: project.teamId, projectId: project.id, reference: d.reference ?? null, isDefault: d.isDefault ?? false }];
}

/** The production routes of the account and platform APIs (access token already checked); undefined: not one. */
export async function productionRoute(
  ctx: ConvexContext,
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: unknown,
): Promise<[number, unknown] | undefined> {
  const { state, teams } = ctx;
  const b = isRecord(body) ? body : {};
  const projectBySlugs = (team: string, slug: string) => {
    const t = teams.find((x) => x.slug === team || String(x.id) === team);
    const p = state.projects.find((x) => x.teamId === t?.id && x.slug === slug);
    if (!p) throw new HttpError(404, 'ProjectNotFound', `Project ${team}:${slug} not found`);
    return p;
  };
  const deploymentNamed = (name: string) => {
    const d = state.deployments.find((x) => x.name === name && x.projectId !== null);
    if (!d) throw new HttpError(404, 'DeploymentNotFound', `Deployment ${name} not found`);
    return d;
  };
  let m: RegExpExecArray | null;

  if (method === 'GET' && (m = /^\/v1\/deployments\/([^/]+)$/.exec(pathname))) return [200, deploymentView(deploymentNamed(decodeURIComponent(m[1]!)))];
  if (method === 'GET' && (m = /^\/v1\/projects\/(\d+)$/.exec(pathname))) {
    const p = state.projects.find((x) => x.id === Number(m![1]));
    if (!p) throw new HttpError(404, 'ProjectNotFound', `Project ${m[1]} not found`);
    return [200, projectView(p)];
  }
  if (method === 'GET' && (m = /^\/v1\/teams\/([^/]+)\/projects\/([^/]+)$/.exec(pathname))) {
    return [200, projectView(projectBySlugs(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)))];
  }
  // One deployment of a project: its default prod (?defaultProd=true) or the one with a reference.
  if (method === 'GET' && (m = /^\/v1\/teams\/([^/]+)\/projects\/([^/]+)\/deployment$/.exec(pathname))) {
    const project = projectBySlugs(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    const ref = query.get('reference');
    const found =
      query.get('defaultProd') === 'true'
        ? defaultProdOf(ctx, project)
        : state.deployments.find((d) => d.projectId === project.id && (d.reference ?? `${d.deploymentType ?? 'dev'}/${d.name}`) === ref);
    if (!found) throw new HttpError(404, 'DeploymentNotFound', 'Deployment not found');
    return [200, deploymentView(found)];
  }
  if (method === 'POST' && (m = /^\/v1\/projects\/(\d+)\/create_deployment$/.exec(pathname))) {
    const project = state.projects.find((x) => x.id === Number(m![1]));
    if (!project) throw new HttpError(404, 'ProjectNotFound', `Project ${m[1]} not found`);
    if (b.type !== 'prod') throw new HttpError(400, 'Unsupported', 'The stand-in creates prod deployments only through this route');
    const d = await createProd(ctx, project, typeof b.reference === 'string' ? b.reference : null, b.isDefault === true);
    return [200, deploymentView(d)];
  }
  if (method === 'POST' && (m = /^\/v1\/deployments\/([^/]+)\/create_deploy_key$/.exec(pathname))) {
    const d = deploymentNamed(decodeURIComponent(m[1]!));
    const key = `${d.deploymentType ?? 'dev'}:${d.name}|${randomBytes(24).toString('hex')}`;
    (d.deployKeys ??= []).push({ name: typeof b.name === 'string' ? b.name : 'key', key });
    return [200, { deployKey: key }];
  }
  if (method === 'POST' && pathname === '/api/deployment/authorize_prod') {
    const d = deploymentNamed(String(b.deploymentName));
    const project = state.projects.find((p) => p.id === d.projectId)!;
    const prod = defaultProdOf(ctx, project);
    if (!prod) throw new HttpError(404, 'DeploymentNotFound', 'This project has no production deployment.');
    return [200, credentials(prod)];
  }
  // `deploy` (and --prod) without a deploy key: the project's default prod, made on first use.
  if (method === 'POST' && pathname === '/api/deployment/provision_and_authorize' && b.deploymentType === 'prod') {
    const project = projectBySlugs(String(b.teamSlug), String(b.projectSlug));
    return [200, credentials(defaultProdOf(ctx, project) ?? (await createProd(ctx, project, null, true)))];
  }
  return undefined;
}
