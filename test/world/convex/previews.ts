/**
 * Preview deployments and project default variables, as the convex CLI 1.49 asks for them (shapes read
 * from its source: src/cli/deploy.ts, lib/defaultEnv.ts, lib/deploymentSelection.ts):
 * - `env default list|set --type preview`: GET `/v1/projects/{id}/list_default_environment_variables`
 *   `?deploymentType=&name=` → `{items: [{name, value}]}`; POST `/v1/projects/{id}/update_default_environment_variables`
 *   `{changes: [{name, deploymentType, value | null}]}`.
 * - `deploy` with a preview deploy key (`preview:<team>:<project>|…`, the key alone authenticates):
 *   POST `/api/claim_preview_deployment {projectSelection, identifier, reuse}` →
 *   `{adminKey, instanceUrl, deploymentName, reference, isNewDeployment}`.
 * - `--preview-name <name>` on other commands: GET `/v1/teams/{team}/projects/{project}`, then POST
 *   `/api/deployment/authorize_preview {previewName, projectSelection}` → the deployment's credentials.
 * A new preview deployment starts with the project's preview defaults as its variables.
 * Unconfirmed (the CLI does not parse it): the exact error for an unknown preview name (here 404
 * `DeploymentNotFound`) and which routes a preview deploy key may call (here: only these).
 */
import { randomBytes } from 'node:crypto';
import { closeServer } from '../server.js';
import type { ConvexContext } from './context.js';
import { createDeployment } from './deployments.js';
import { applyEnvChanges } from './env-vars.js';
import { HttpError, isRecord } from './errors.js';
import type { Deployment, Project } from './types.js';

export type DeploymentType = 'dev' | 'preview' | 'prod';

interface PreviewState {
  /** Preview deploy keys, by key. */
  keys: Map<string, Project>;
  /** Each project's preview deployments, by preview name (one deployment per name). */
  previews: Map<number, Map<string, string>>;
  /** Each project's default variables, by deployment type. */
  defaults: Map<number, Record<DeploymentType, Record<string, string>>>;
}

const states = new WeakMap<ConvexContext, PreviewState>();

function stateOf(ctx: ConvexContext): PreviewState {
  let s = states.get(ctx);
  if (!s) states.set(ctx, (s = { keys: new Map(), previews: new Map(), defaults: new Map() }));
  return s;
}

function projectBySlugs(ctx: ConvexContext, teamSlug: unknown, projectSlug: unknown): Project {
  const project = ctx.state.projects.find((p) => p.teamSlug === teamSlug && p.slug === projectSlug);
  if (!project) throw new HttpError(404, 'ProjectNotFound', `Project ${String(teamSlug)}:${String(projectSlug)} not found`);
  return project;
}

export function defaultsOf(ctx: ConvexContext, projectId: number): Record<DeploymentType, Record<string, string>> {
  const all = stateOf(ctx).defaults;
  let d = all.get(projectId);
  if (!d) all.set(projectId, (d = { dev: {}, preview: {}, prod: {} }));
  return d;
}

/** What the dashboard's "Generate preview deploy key" gives. */
export function createPreviewDeployKey(ctx: ConvexContext, teamSlug: string, projectSlug: string): string {
  const project = projectBySlugs(ctx, teamSlug, projectSlug);
  const key = `preview:${teamSlug}:${projectSlug}|${randomBytes(24).toString('hex')}`;
  stateOf(ctx).keys.set(key, project);
  return key;
}

/** The preview deployments of a project, by preview name. */
export function previewsOf(ctx: ConvexContext, projectId: number): Map<string, Deployment> {
  const names = stateOf(ctx).previews.get(projectId) ?? new Map<string, string>();
  const out = new Map<string, Deployment>();
  for (const [preview, name] of names) {
    const d = ctx.state.deployments.find((x) => x.name === name);
    if (d) out.set(preview, d);
  }
  return out;
}

/** Deletes a deployment (as the dashboard, or the 14-day clean-up, does): its origins stop answering. */
export async function deleteDeployment(ctx: ConvexContext, name: string): Promise<void> {
  const rt = ctx.runtimes.get(name);
  if (!rt) throw new Error(`No deployment ${name}`);
  for (const conn of rt.connections) clearTimeout(conn.expiryTimer);
  for (const c of rt.wss.clients) c.terminate();
  rt.wss.close();
  ctx.runtimes.delete(name);
  ctx.state.deployments.splice(ctx.state.deployments.indexOf(rt.deployment), 1);
  for (const names of stateOf(ctx).previews.values()) for (const [preview, n] of names) if (n === name) names.delete(preview);
  await Promise.all(rt.servers.map((s) => closeServer(s)));
}

const credentials = (d: Deployment, preview: string) => ({
  adminKey: d.adminKey,
  url: d.url,
  deploymentName: d.name,
  deploymentType: 'preview',
  isDefault: false,
  reference: `preview/${preview}`,
});

/** The project a request may act on: a preview deploy key's own, or any with the access token. */
function callerProject(ctx: ConvexContext, auth: string | undefined, selection: unknown): Project {
  const sel = isRecord(selection) ? selection : {};
  const project = projectBySlugs(ctx, sel.teamSlug, sel.projectSlug);
  if (auth === `Bearer ${ctx.token}`) return project;
  const keyProject = stateOf(ctx).keys.get((auth ?? '').replace(/^Bearer /, ''));
  if (keyProject?.id !== project.id) throw new HttpError(403, 'Forbidden', 'This deploy key cannot act on that project');
  return project;
}

/**
 * Routes a preview deploy key may call (answered before the access-token check), or undefined when the
 * request is not one of them.
 */
export async function previewKeyRoute(
  ctx: ConvexContext,
  auth: string | undefined,
  method: string,
  pathname: string,
  body: unknown,
): Promise<[number, unknown] | undefined> {
  const b = isRecord(body) ? body : {};
  if (method === 'POST' && pathname === '/api/claim_preview_deployment') {
    const project = callerProject(ctx, auth, b.projectSelection);
    const identifier = typeof b.identifier === 'string' ? b.identifier : '';
    if (!identifier) throw new HttpError(400, 'BadRequest', 'identifier is required');
    const names = stateOf(ctx).previews.get(project.id) ?? new Map<string, string>();
    stateOf(ctx).previews.set(project.id, names);
    const existing = names.get(identifier);
    if (existing && b.reuse === true) {
      const d = ctx.state.deployments.find((x) => x.name === existing)!;
      return [200, { adminKey: d.adminKey, instanceUrl: d.url, deploymentName: d.name, reference: `preview/${identifier}`, isNewDeployment: false }];
    }
    // --preview-create (reuse false): one deployment per name, so the old one goes.
    if (existing) await deleteDeployment(ctx, existing);
    const d = await createDeployment(ctx, project.id, 'dev');
    d.env = { ...defaultsOf(ctx, project.id).preview };
    names.set(identifier, d.name);
    return [200, { adminKey: d.adminKey, instanceUrl: d.url, deploymentName: d.name, reference: `preview/${identifier}`, isNewDeployment: true }];
  }
  if (method === 'POST' && pathname === '/api/deployment/authorize_preview') {
    const project = callerProject(ctx, auth, b.projectSelection);
    const d = previewsOf(ctx, project.id).get(String(b.previewName));
    if (!d) throw new HttpError(404, 'DeploymentNotFound', `No preview deployment named ${String(b.previewName)}`);
    return [200, credentials(d, String(b.previewName))];
  }
  const m = /^\/v1\/teams\/([^/]+)\/projects\/([^/]+)$/.exec(pathname);
  if (method === 'GET' && m) {
    const project = callerProject(ctx, auth, { teamSlug: decodeURIComponent(m[1]!), projectSlug: decodeURIComponent(m[2]!) });
    return [200, { id: project.id, slug: project.slug, name: project.name, teamId: project.teamId, teamSlug: project.teamSlug, createTime: project.createTime }];
  }
  return undefined;
}

/** The platform API's default variables (access token only; the caller checked it). */
export function defaultEnvRoute(ctx: ConvexContext, method: string, url: URL, body: unknown): [number, unknown] | undefined {
  const m = /^\/v1\/projects\/(\d+)\/(list|update)_default_environment_variables$/.exec(url.pathname);
  if (!m) return undefined;
  const project = ctx.state.projects.find((p) => p.id === Number(m[1]));
  if (!project) throw new HttpError(404, 'ProjectNotFound', `Project ${m[1]} not found`);
  const all = defaultsOf(ctx, project.id);
  const typeOf = (t: unknown): DeploymentType => {
    if (t === 'dev' || t === 'preview' || t === 'prod') return t;
    throw new HttpError(400, 'InvalidDeploymentType', `Unknown deployment type ${String(t)}`);
  };
  if (method === 'GET' && m[2] === 'list') {
    const vars = all[typeOf(url.searchParams.get('deploymentType'))];
    const name = url.searchParams.get('name');
    const type = typeOf(url.searchParams.get('deploymentType'));
    const items = Object.entries(vars).filter(([n]) => name === null || n === name).map(([n, value]) => ({ name: n, value, deploymentTypes: [type] }));
    return [200, { items, pagination: { hasMore: false, nextCursor: null } }];
  }
  if (method === 'POST' && m[2] === 'update') {
    const changes = isRecord(body) && Array.isArray(body.changes) ? (body.changes as unknown[]) : undefined;
    if (!changes) throw new HttpError(400, 'BadRequest', 'Expected {"changes": [...]}');
    // Grouped by type, each applied all or nothing with a deployment's limits.
    const byType = new Map<DeploymentType, unknown[]>();
    for (const c of changes) {
      const t = typeOf(isRecord(c) ? c.deploymentType : undefined);
      byType.set(t, [...(byType.get(t) ?? []), c]);
    }
    for (const [t, list] of byType) {
      const scratch = { env: all[t] } as Deployment;
      applyEnvChanges(scratch, list);
      all[t] = scratch.env;
    }
    return [200, {}];
  }
  return undefined;
}
