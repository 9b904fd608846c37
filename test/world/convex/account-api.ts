/**
 * The account API ("big brain": /api/... and the platform API under /v1/...): teams, projects, and
 * provisioning a project's dev deployment. Every request needs the access token.
 */
import http from 'node:http';
import { applyFault } from '../faults.js';
import { parseBody, readBody, sendJson } from '../http.js';
import { listen } from '../server.js';
import type { ConvexContext } from './context.js';
import { devDeploymentFor } from './deployments.js';
import { convexFault, HttpError, isRecord, sendError } from './errors.js';
import { defaultEnvRoute, previewKeyRoute } from './previews.js';
import { credentials, deployKeyRoute, productionRoute } from './production-api.js';
import { managedWorkosRoute } from './managed-workos.js';
import type { Project, Team } from './types.js';

/** A deploy-key route's answer, its refusal answered as an error (undefined: not such a route). */
async function keyed(route: () => [number, unknown] | undefined): Promise<[number, unknown] | undefined> {
  try {
    return route();
  } catch (err) {
    return err instanceof HttpError ? [err.status, { code: err.code, message: err.message }] : [500, { code: 'InternalServerError', message: String(err) }];
  }
}

const teamBySlugOrId = (teams: Team[], key: string): Team | undefined =>
  teams.find((t) => t.slug === key || String(t.id) === key);

async function accountRoute(ctx: ConvexContext, method: string, pathname: string, body: unknown): Promise<[number, unknown]> {
  const { teams, state } = ctx;
  if (method === 'HEAD' && pathname === '/api/authorize') return [200, null];
  if (method === 'POST' && pathname === '/api/check_opt_ins') return [200, { optInsToAccept: [] }];
  if (method === 'POST' && pathname === '/api/accept_opt_ins') return [200, {}];
  if (method === 'GET' && pathname === '/api/teams') {
    return [200, teams.map((t) => ({ id: t.id, name: t.name, slug: t.slug, suspended: false, referralCode: `${t.slug.toUpperCase()}00` }))];
  }
  // The platform API's project list (`ProjectResponse` items of @convex-dev/platform), as `dev
  // --configure existing --project` pages through it.
  const list = /^\/v1\/teams\/([^/]+)\/projects$/.exec(pathname);
  if (method === 'GET' && list) {
    const team = teamBySlugOrId(teams, decodeURIComponent(list[1] ?? ''));
    if (!team) throw new HttpError(404, 'TeamNotFound', `Team ${list[1]} not found`);
    const items = state.projects
      .filter((p) => p.teamId === team.id)
      .map((p) => ({
        id: p.id,
        slug: p.slug,
        name: p.name,
        teamId: p.teamId,
        teamSlug: p.teamSlug,
        createTime: p.createTime,
        devDeploymentName: state.deployments.find((d) => d.projectId === p.id)?.name ?? null,
      }));
    return [200, { items, pagination: { hasMore: false, nextCursor: null } }];
  }
  let m = /^\/v1\/teams\/([^/]+)\/create_project$/.exec(pathname);
  if (method === 'POST' && m) {
    const team = teamBySlugOrId(teams, decodeURIComponent(m[1] ?? ''));
    if (!team) throw new HttpError(404, 'TeamNotFound', `Team ${m[1]} not found`);
    const b = isRecord(body) ? body : {};
    const projectName = typeof b.projectName === 'string' ? b.projectName : 'project';
    let slug = projectName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'project';
    const base = slug;
    for (let i = 2; state.projects.some((p) => p.teamId === team.id && p.slug === slug); i++) slug = `${base}-${i}`;
    const project: Project = { id: ctx.counters.project++, slug, name: projectName, teamId: team.id, teamSlug: team.slug, createTime: Date.now() };
    state.projects.push(project);
    let deploymentName: string | null = null;
    let deploymentUrl: string | null = null;
    if (b.deploymentType === 'dev') {
      const d = await devDeploymentFor(ctx, project);
      deploymentName = d.name;
      deploymentUrl = d.url;
    }
    return [200, { id: project.id, projectId: project.id, slug: project.slug, deploymentName, deploymentUrl }];
  }
  if (method === 'POST' && pathname === '/api/deployment/provision_and_authorize') {
    const b = isRecord(body) ? body : {};
    const team = teams.find((t) => t.slug === b.teamSlug);
    const project = state.projects.find((p) => p.teamId === team?.id && p.slug === b.projectSlug);
    if (!team || !project) throw new HttpError(404, 'ProjectNotFound', `Project ${String(b.projectSlug)} not found`);
    if (b.deploymentType !== 'dev') throw new HttpError(400, 'Unsupported', 'The stand-in only provisions dev deployments');
    const d = await devDeploymentFor(ctx, project);
    return [200, { adminKey: d.adminKey, url: d.url, deploymentName: d.name, deploymentType: 'dev', isDefault: true, reference: `dev/${d.name}` }];
  }
  if (method === 'POST' && pathname === '/api/deployment/authorize_within_current_project') {
    const b = isRecord(body) ? body : {};
    const d = state.deployments.find((x) => x.name === b.selectedDeploymentName && x.projectId !== null);
    if (!d) throw new HttpError(404, 'DeploymentNotFound', `Deployment ${String(b.selectedDeploymentName)} not found`);
    return [200, credentials(d)];
  }
  // The platform API's project deletion (`POST /projects/{project_id}/delete`): its deployments go with it.
  m = /^\/v1\/projects\/(\d+)\/delete$/.exec(pathname);
  if (method === 'POST' && m) {
    const id = Number(m[1]);
    if (!state.projects.some((p) => p.id === id)) throw new HttpError(404, 'ProjectNotFound', `Project ${id} not found`);
    state.projects = state.projects.filter((p) => p.id !== id);
    state.deployments = state.deployments.filter((d) => d.projectId !== id);
    return [200, null];
  }
  m = /^\/api\/deployment\/([^/]+)\/team_and_project$/.exec(pathname);
  if (method === 'GET' && m) {
    const d = state.deployments.find((x) => x.name === m?.[1]);
    const project = state.projects.find((p) => p.id === d?.projectId);
    if (!d || !project) throw new HttpError(404, 'DeploymentNotFound', `Deployment ${m[1]} not found`);
    return [200, { team: project.teamSlug, project: project.slug, teamId: project.teamId, projectId: project.id }];
  }
  m = /^\/api\/dashboard\/teams\/([^/]+)\/usage\/team_usage_state$/.exec(pathname);
  if (method === 'GET' && m) return [200, { usageState: 'Default' }];
  m = /^\/api\/dashboard\/teams\/([^/]+)\/get_spending_limits$/.exec(pathname);
  if (method === 'GET' && m) return [200, { state: 'Running' }];
  throw new HttpError(404, 'NotFound', `The Convex stand-in has no route ${method} ${pathname}`);
}

/** Starts the account API; its origin is the CLI's CONVEX_PROVISION_HOST. */
export async function startAccountApi(ctx: ConvexContext): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      const body = parseBody(req, await readBody(req));
      ctx.record({ kind: 'account', method, path: pathname, ...(body === undefined ? {} : { body }) });
      if (await applyFault(ctx.faults, req, res, pathname, convexFault)) return;
      // A preview deploy key authenticates a few routes of its own (previews.ts)…
      try {
        const answer = await previewKeyRoute(ctx, req.headers.authorization, method, pathname, body);
        if (answer) return sendJson(res, answer[0], answer[1]);
      } catch (err) {
        return sendError(res, err);
      }
      // …and so does a production deploy key (production-api.ts).
      const byKey = await keyed(() => deployKeyRoute(ctx, method, pathname, body));
      if (byKey) {
        sendJson(res, byKey[0], byKey[1]);
        return;
      }
      if (req.headers.authorization !== `Bearer ${ctx.token}`) {
        // The real service answers an unknown/missing token with 401; HEAD /api/authorize has no body.
        if (method === 'HEAD') {
          res.writeHead(401).end();
          return;
        }
        sendJson(res, 401, { code: 'Unauthenticated', message: 'Could not verify your access token. Log in again with `npx convex login`.' });
        return;
      }
      try {
        const query = new URL(req.url ?? '/', 'http://x').searchParams;
        const [status, out] =
          defaultEnvRoute(ctx, method, new URL(req.url ?? '/', 'http://x'), body) ??
          (await productionRoute(ctx, method, pathname, query, body)) ??
          managedWorkosRoute(ctx, method, pathname, body) ??
          (await accountRoute(ctx, method, pathname, body));
        if (method === 'HEAD') res.writeHead(status).end();
        else sendJson(res, status, out);
      } catch (err) {
        sendError(res, err);
      }
    })();
  });
  return { server, origin: await listen(server) };
}
