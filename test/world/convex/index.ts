/**
 * An offline stand-in for Convex cloud that the real `convex` CLI (1.49) talks to.
 *
 * One HTTP server plays the account API ("big brain": /api/... and the platform
 * API under /v1/...). Every deployment gets two more servers: its own origin
 * (deployment API + sync WebSocket) and a separate site origin (HTTP actions;
 * a placeholder for now). Point the CLI at it with `cliEnv()` (cloud) or with
 * CONVEX_SELF_HOSTED_URL / CONVEX_SELF_HOSTED_ADMIN_KEY (`createSelfHosted()`).
 *
 * Shapes were learned from the CLI's own code; where the real service's exact
 * answer is unknown, the stand-in gives the shape the CLI parses.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import vm from 'node:vm';
import type { JSONWebKeySet } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { validateToken, type CustomJwtProvider, type TokenCheck } from '../../../src/auth/validate-token.js';
import { FaultList, type Fault, type FaultMatch } from '../faults.js';
import { closeServer, listen } from '../server.js';

export interface Team {
  id: number;
  slug: string;
  name: string;
}

export interface Project {
  id: number;
  slug: string;
  name: string;
  teamId: number;
  teamSlug: string;
}

export interface Push {
  at: number;
  modules: Array<{ path: string; source: string }>;
}

export interface Deployment {
  name: string;
  /** Its own origin (deployment API + sync WebSocket). */
  url: string;
  /** A different origin that serves HTTP actions (placeholder: answers 404). */
  siteUrl: string;
  adminKey: string;
  /** null for a self-hosted deployment. */
  projectId: number | null;
  env: Record<string, string>;
  pushes: Push[];
  /** Every message on this deployment's sync WebSockets, client's and server's, in order. */
  syncMessages: SyncMessage[];
  /** Every Authenticate (User / None) the sync socket judged, and tokens that expired in use. */
  authChecks: AuthCheck[];
  /** Sync WebSocket connections: when each opened and closed. */
  syncConnections: Array<{ id: number; openedAt: number; closedAt?: number }>;
}

export interface SyncMessage {
  at: number;
  /** Which WebSocket connection (numbered from 1 per stand-in). */
  connection: number;
  from: 'client' | 'server';
  message: Record<string, unknown>;
}

export interface AuthCheck {
  at: number;
  connection: number;
  tokenType: 'User' | 'None';
  ok: boolean;
  problem?: string;
  message?: string;
  claims?: Record<string, unknown>;
  token?: string;
}

/** What `ctx.auth.getUserIdentity()` returns for a validated customJwt token. */
export interface Identity {
  subject: string;
  issuer: string;
  tokenIdentifier: string;
  [claim: string]: unknown;
}

/**
 * Runs a deployment's functions (e.g. the app's own convex/ code on convex-test's engine).
 * Paths are "module:function" without ".js". Throwing an error with `data` is a ConvexError.
 */
export interface FunctionRunner {
  query(udfPath: string, args: Record<string, unknown>, identity: Identity | null): Promise<unknown>;
  mutation?(udfPath: string, args: Record<string, unknown>, identity: Identity | null): Promise<unknown>;
  action?(udfPath: string, args: Record<string, unknown>, identity: Identity | null): Promise<unknown>;
  /** HTTP actions, served on the deployment's site origin. */
  fetch?(request: Request): Promise<Response>;
}

export interface RecordedRequest {
  at: number;
  kind: 'account' | 'deployment' | 'sync';
  method: string;
  path: string;
  deployment?: string;
  body?: unknown;
}

export type { Fault, FaultMatch };

export interface ConvexStandIn {
  provisionHost: string;
  token: string;
  cliEnv(): Record<string, string>;
  state: { projects: Project[]; deployments: Deployment[] };
  teams: Team[];
  requests: RecordedRequest[];
  fail(match: FaultMatch, fault: Fault): void;
  /** Removes every fault still pending. */
  clearFaults(): void;
  createSelfHosted(): Promise<{ url: string; adminKey: string; deployment: Deployment }>;
  /** Serve these functions (queries, mutations, actions, HTTP actions) on the deployment; null stops. */
  serveFunctions(deploymentName: string, runner: FunctionRunner | null): void;
  /** The providers of the deployment's last pushed auth.config.js, evaluated with its env. */
  authProviders(deploymentName: string): CustomJwtProvider[];
  /** Re-run every subscribed query (after a change made outside the sync socket). */
  refreshQueries(deploymentName: string): void;
  close(): Promise<void>;
}

const SERVER_VERSION = '1.49.0';
const ENV_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_ENV_VALUE_BYTES = 8 * 1024;
const MAX_ENV_VARS = 512;

interface PendingPush {
  modules: Array<{ path: string; source: string }>;
}

interface SyncConnection {
  id: number;
  ws: WebSocket;
  queries: Map<number, { udfPath: string; args: unknown; last?: string }>;
  querySet: number;
  identityVersion: number;
  sent: { querySet: number; identity: number; ts: number };
  admin: boolean;
  identity: Identity | null;
  token: string | null;
  expiryTimer: NodeJS.Timeout | undefined;
  /** Runs tasks one after another, so Transitions go out in order. */
  enqueue(task: () => Promise<void>): void;
}

interface DeploymentRuntime {
  deployment: Deployment;
  servers: http.Server[];
  wss: WebSocketServer;
  pending: PendingPush | null;
  connections: Set<SyncConnection>;
  functions: FunctionRunner | null;
  /** The deployment's logical clock (Transition / mutation timestamps). */
  clock: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeBody(req: http.IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  let buf = raw;
  const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
  try {
    if (enc === 'br') buf = zlib.brotliDecompressSync(raw);
    else if (enc === 'gzip') buf = zlib.gunzipSync(raw);
    else if (enc === 'deflate') buf = zlib.inflateSync(raw);
  } catch {
    return raw.toString('base64');
  }
  const text = buf.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Convex encodes u64 timestamps on the wire as base64 of 8 little-endian bytes. */
function encodeTs(ts: number): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(ts));
  return b.toString('base64');
}

/**
 * Evaluates a pushed (bundled ESM) auth.config.js with the deployment's environment variables and
 * returns its providers. The bundle is self-contained: `process.env.X` reads and an
 * `export { x as default }` (or `export default`) at the end.
 */
export function evaluateAuthConfigSource(source: string, env: Record<string, string>): CustomJwtProvider[] {
  if (/^\s*import\s/m.test(source)) throw new Error('auth.config.js imports other modules');
  const body = source
    .replace(/^\s*export\s*\{\s*([A-Za-z_$][\w$]*)\s+as\s+default\s*\}\s*;?/m, 'module.exports.default = $1;')
    .replace(/^\s*export\s+default\s+/m, 'module.exports.default = ');
  const module = { exports: {} as Record<string, unknown> };
  vm.runInNewContext(body, { module, exports: module.exports, process: { env: { ...env } } }, { timeout: 1000 });
  const config = (module.exports.default ?? module.exports) as { providers?: unknown };
  if (!Array.isArray(config?.providers)) throw new Error('auth.config.js has no providers array');
  return (config.providers as Array<Record<string, unknown>>).filter((p) => p.type === 'customJwt') as unknown as CustomJwtProvider[];
}

/** Env var names a module reads via `process.env.X` / `process.env["X"]`. */
export function envVarsReadBy(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)) if (m[1]) names.add(m[1]);
  for (const m of source.matchAll(/process\.env\[\s*["'`]([A-Za-z_][A-Za-z0-9_]*)["'`]\s*\]/g)) if (m[1]) names.add(m[1]);
  return [...names];
}

const ADJECTIVES = ['happy', 'brave', 'calm', 'quick', 'bright', 'gentle', 'proud', 'wise'];
const ANIMALS = ['otter', 'falcon', 'badger', 'heron', 'lynx', 'panda', 'whale', 'koala'];

export async function startConvexStandIn(
  opts: {
    teams?: Array<{ id?: number; slug: string; name: string }>;
    token?: string;
    /** Resolves a JWKS URL from auth.config (e.g. WorkOS's public one) to a key set, offline. */
    jwks?: (url: string) => Promise<JSONWebKeySet>;
  } = {},
): Promise<ConvexStandIn> {
  const token = opts.token ?? `standin_${randomBytes(16).toString('hex')}`;
  const teams: Team[] = (opts.teams ?? [{ slug: 'acme', name: 'Acme' }]).map((t, i) => ({
    id: t.id ?? 1000 + i,
    slug: t.slug,
    name: t.name,
  }));
  const state = { projects: [] as Project[], deployments: [] as Deployment[] };
  const requests: RecordedRequest[] = [];
  const faults = new FaultList();
  const runtimes = new Map<string, DeploymentRuntime>();
  let lastAt = 0;
  let nextProjectId = 1;
  let nextDeploymentNo = 0;

  const record = (r: Omit<RecordedRequest, 'at'>): void => {
    lastAt = Math.max(Date.now(), lastAt);
    requests.push({ at: lastAt, ...r });
  };

  /** Applies a matching fault. Returns true when the request was answered (or dropped). */
  const applyFault = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean> => {
    const fault = faults.take(req.method, pathname);
    if (!fault) return false;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.hang) return true;
    if (fault.drop) {
      req.socket.destroy();
      return true;
    }
    if (fault.status !== undefined) {
      sendJson(res, fault.status, fault.body ?? { code: 'InjectedFault', message: `Injected fault (${fault.status})` });
      return true;
    }
    return false;
  };

  // ---------------------------------------------------------------- account API

  const bearerOk = (req: http.IncomingMessage): boolean => req.headers.authorization === `Bearer ${token}`;

  const teamBySlugOrId = (key: string): Team | undefined =>
    teams.find((t) => t.slug === key || String(t.id) === key);

  const createDeployment = async (projectId: number | null, kind: 'dev' | 'self-hosted'): Promise<Deployment> => {
    const n = nextDeploymentNo++;
    const name =
      kind === 'dev'
        ? `${ADJECTIVES[n % ADJECTIVES.length]}-${ANIMALS[Math.floor(n / ADJECTIVES.length) % ANIMALS.length]}-${100 + n}`
        : `self-hosted-${100 + n}`;
    const secret = randomBytes(24).toString('hex');
    const adminKey = kind === 'dev' ? `dev:${name}|${secret}` : `self-hosted|${secret}`;
    const apiServer = http.createServer();
    const siteServer = http.createServer();
    const url = await listen(apiServer);
    const siteUrl = await listen(siteServer);
    const deployment: Deployment = { name, url, siteUrl, adminKey, projectId, env: {}, pushes: [], syncMessages: [], authChecks: [], syncConnections: [] };
    const wss = new WebSocketServer({ noServer: true });
    const rt: DeploymentRuntime = { deployment, servers: [apiServer, siteServer], wss, pending: null, connections: new Set(), functions: null, clock: 0 };
    apiServer.on('request', (req, res) => void handleDeployment(rt, req, res));
    apiServer.on('upgrade', (req, socket, head) => {
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      if (!/^\/api\/[^/]+\/sync$/.test(pathname)) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => handleSync(rt, ws, pathname));
    });
    siteServer.on('request', (req, res) => void handleSite(rt, req, res));
    state.deployments.push(deployment);
    runtimes.set(name, rt);
    return deployment;
  };

  const devDeploymentFor = async (project: Project): Promise<Deployment> =>
    state.deployments.find((d) => d.projectId === project.id) ?? (await createDeployment(project.id, 'dev'));

  const accountRoute = async (method: string, pathname: string, body: unknown): Promise<[number, unknown]> => {
    if (method === 'HEAD' && pathname === '/api/authorize') return [200, null];
    if (method === 'POST' && pathname === '/api/check_opt_ins') return [200, { optInsToAccept: [] }];
    if (method === 'POST' && pathname === '/api/accept_opt_ins') return [200, {}];
    if (method === 'GET' && pathname === '/api/teams') {
      return [200, teams.map((t) => ({ id: t.id, name: t.name, slug: t.slug, referralCode: `${t.slug.toUpperCase()}00` }))];
    }
    // The platform API's project list, as `dev --configure existing --project` pages through it
    // (the CLI reads items[].slug/name and pagination.hasMore/nextCursor; other fields unconfirmed).
    const list = /^\/v1\/teams\/([^/]+)\/projects$/.exec(pathname);
    if (method === 'GET' && list) {
      const team = teamBySlugOrId(decodeURIComponent(list[1] ?? ''));
      if (!team) throw new HttpError(404, 'TeamNotFound', `Team ${list[1]} not found`);
      const items = state.projects.filter((p) => p.teamId === team.id).map((p) => ({ id: p.id, slug: p.slug, name: p.name, teamId: p.teamId }));
      return [200, { items, pagination: { hasMore: false, nextCursor: null } }];
    }
    let m = /^\/v1\/teams\/([^/]+)\/create_project$/.exec(pathname);
    if (method === 'POST' && m) {
      const team = teamBySlugOrId(decodeURIComponent(m[1] ?? ''));
      if (!team) throw new HttpError(404, 'TeamNotFound', `Team ${m[1]} not found`);
      const b = isRecord(body) ? body : {};
      const projectName = typeof b.projectName === 'string' ? b.projectName : 'project';
      let slug = projectName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'project';
      const base = slug;
      for (let i = 2; state.projects.some((p) => p.teamId === team.id && p.slug === slug); i++) slug = `${base}-${i}`;
      const project: Project = { id: nextProjectId++, slug, name: projectName, teamId: team.id, teamSlug: team.slug };
      state.projects.push(project);
      let deploymentName: string | null = null;
      let deploymentUrl: string | null = null;
      if (b.deploymentType === 'dev') {
        const d = await devDeploymentFor(project);
        deploymentName = d.name;
        deploymentUrl = d.url;
      }
      return [200, { projectId: project.id, slug: project.slug, deploymentName, deploymentUrl }];
    }
    if (method === 'POST' && pathname === '/api/deployment/provision_and_authorize') {
      const b = isRecord(body) ? body : {};
      const team = teams.find((t) => t.slug === b.teamSlug);
      const project = state.projects.find((p) => p.teamId === team?.id && p.slug === b.projectSlug);
      if (!team || !project) throw new HttpError(404, 'ProjectNotFound', `Project ${String(b.projectSlug)} not found`);
      if (b.deploymentType !== 'dev') throw new HttpError(400, 'Unsupported', 'The stand-in only provisions dev deployments');
      const d = await devDeploymentFor(project);
      return [200, { adminKey: d.adminKey, url: d.url, deploymentName: d.name, deploymentType: 'dev', isDefault: true, reference: `dev/${d.name}` }];
    }
    if (method === 'POST' && pathname === '/api/deployment/authorize_within_current_project') {
      const b = isRecord(body) ? body : {};
      const d = state.deployments.find((x) => x.name === b.selectedDeploymentName && x.projectId !== null);
      if (!d) throw new HttpError(404, 'DeploymentNotFound', `Deployment ${String(b.selectedDeploymentName)} not found`);
      return [200, { adminKey: d.adminKey, url: d.url, deploymentName: d.name, deploymentType: 'dev', isDefault: true, reference: `dev/${d.name}` }];
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
  };

  const accountServer = http.createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      const body = decodeBody(req, await readBody(req));
      record({ kind: 'account', method, path: pathname, ...(body === undefined ? {} : { body }) });
      if (await applyFault(req, res, pathname)) return;
      if (!bearerOk(req)) {
        // The real service answers an unknown/missing token with 401; HEAD /api/authorize has no body.
        if (method === 'HEAD') {
          res.writeHead(401).end();
          return;
        }
        sendJson(res, 401, { code: 'Unauthenticated', message: 'Could not verify your access token. Log in again with `npx convex login`.' });
        return;
      }
      try {
        const [status, out] = await accountRoute(method, pathname, body);
        if (method === 'HEAD') res.writeHead(status).end();
        else sendJson(res, status, out);
      } catch (err) {
        if (err instanceof HttpError) sendJson(res, err.status, { code: err.code, message: err.message });
        else sendJson(res, 500, { code: 'InternalServerError', message: String(err) });
      }
    })();
  });
  const provisionHost = await listen(accountServer);

  // ------------------------------------------------------------- deployment API

  const adminOk = (rt: DeploymentRuntime, req: http.IncomingMessage, body: unknown): boolean => {
    const header = req.headers.authorization ?? '';
    const key = header.startsWith('Convex ') ? header.slice('Convex '.length) : isRecord(body) ? body.adminKey : undefined;
    return key === rt.deployment.adminKey;
  };

  const applyEnvChanges = (d: Deployment, changes: unknown): void => {
    if (!Array.isArray(changes)) throw new HttpError(400, 'BadRequest', 'Expected {"changes": [...]}');
    const next = { ...d.env };
    for (const c of changes as unknown[]) {
      if (!isRecord(c) || typeof c.name !== 'string') throw new HttpError(400, 'BadRequest', 'Each change needs a name');
      const { name, value } = c;
      if (!ENV_NAME_RE.test(name) || name.length > 256) {
        throw new HttpError(400, 'InvalidEnvironmentVariableName', `Environment variable name ${JSON.stringify(name)} is invalid: names must match ${ENV_NAME_RE.source} and be at most 256 characters.`);
      }
      if (value === null || value === undefined) {
        delete next[name];
        continue;
      }
      if (typeof value !== 'string') throw new HttpError(400, 'BadRequest', `Value of ${name} must be a string`);
      if (Buffer.byteLength(value) > MAX_ENV_VALUE_BYTES) {
        throw new HttpError(400, 'EnvironmentVariableValueTooLarge', `Environment variable ${name} value is too large (max 8KiB).`);
      }
      next[name] = value;
    }
    if (Object.keys(next).length > MAX_ENV_VARS) throw new HttpError(400, 'TooManyEnvironmentVariables', `Too many environment variables (max ${MAX_ENV_VARS}).`);
    d.env = next;
  };

  const modulesOf = (body: unknown): Array<{ path: string; source: string }> => {
    if (!isRecord(body) || !isRecord(body.appDefinition)) return [];
    const app = body.appDefinition;
    const out: Array<{ path: string; source: string }> = [];
    const add = (m: unknown): void => {
      if (isRecord(m) && typeof m.path === 'string' && typeof m.source === 'string') out.push({ path: m.path, source: m.source });
    };
    if (Array.isArray(app.changedModules)) app.changedModules.forEach(add);
    add(app.schema);
    add(app.definition);
    return out;
  };

  const deploymentRoute = (rt: DeploymentRuntime, method: string, pathname: string, body: unknown): [number, unknown] => {
    const d = rt.deployment;
    if (method === 'GET' && pathname === '/api/v1/get_canonical_urls') {
      return [200, { convexCloudUrl: d.url, convexSiteUrl: d.siteUrl }];
    }
    if (method === 'POST' && pathname === '/api/update_environment_variables') {
      applyEnvChanges(d, isRecord(body) ? body.changes : undefined);
      return [200, {}];
    }
    if (method === 'POST' && pathname === '/api/get_config_hashes') {
      // No module hashes: the CLI then uploads every module in full on each push.
      return [200, { config: { functions: 'convex/', authInfo: [] }, moduleHashes: [], nodeDependencies: [], udfServerVersion: SERVER_VERSION }];
    }
    if (method === 'POST' && pathname === '/api/deploy2/evaluate_schema') {
      return [200, { componentSchemaEvaluations: {}, newComponentDefinitions: [] }];
    }
    if (method === 'POST' && (pathname === '/api/deploy2/start_push' || pathname === '/api/deploy2/evaluate_push')) {
      const modules = modulesOf(body);
      const authConfig = modules.find((m) => /^auth\.config\.[cm]?[jt]s$/.test(m.path));
      if (authConfig) {
        for (const name of envVarsReadBy(authConfig.source)) {
          if (!(name in d.env)) {
            throw new HttpError(
              400,
              'AuthConfigMissingEnvironmentVariable',
              `Environment variable ${name} is used in auth config file but its value was not set. Go to https://dashboard.convex.dev/d/${d.name}/settings/environment-variables?var=${name} to set it up.`,
            );
          }
        }
      }
      const schemaChange = { allocatedComponentIds: {}, schemaIds: {}, indexDiffs: {} };
      if (pathname === '/api/deploy2/evaluate_push') return [200, { schemaChange }];
      rt.pending = { modules };
      return [
        200,
        {
          environmentVariables: { ...d.env },
          externalDepsId: null,
          componentDefinitionPackages: {},
          appAuth: [],
          analysis: {
            '': {
              definition: {
                path: '',
                definitionType: { type: 'app' },
                childComponents: [],
                httpMounts: {},
                exports: { type: 'branch', branch: [] },
              },
              schema: null,
              functions: {},
              udfConfig: { serverVersion: SERVER_VERSION, importPhaseRngSeed: null, importPhaseUnixTimestamp: null },
            },
          },
          app: {
            definitionPath: '',
            componentPath: '',
            args: {},
            childComponents: {},
            httpRoutes: { httpModuleRoutes: null, mounts: [] },
            exports: {},
          },
          schemaChange,
        },
      ];
    }
    if (method === 'POST' && pathname === '/api/deploy2/wait_for_schema') return [200, { type: 'complete' }];
    if (method === 'POST' && pathname === '/api/deploy2/finish_push') {
      const dryRun = isRecord(body) && body.dryRun === true;
      if (rt.pending && !dryRun) {
        lastAt = Math.max(Date.now(), lastAt);
        d.pushes.push({ at: lastAt, modules: rt.pending.modules });
      }
      rt.pending = null;
      return [200, { authDiff: { added: [], removed: [] }, definitionDiffs: {}, componentDiffs: {} }];
    }
    if (method === 'POST' && pathname === '/api/deploy2/report_push_completed') return [200, {}];
    throw new HttpError(404, 'NotFound', `The Convex stand-in has no route ${method} ${pathname}`);
  };

  const handleDeployment = async (rt: DeploymentRuntime, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const body = decodeBody(req, await readBody(req));
    record({ kind: 'deployment', method, path: pathname, deployment: rt.deployment.name, ...(body === undefined ? {} : { body }) });
    if (await applyFault(req, res, pathname)) return;
    if (pathname !== '/api/v1/get_canonical_urls' && !adminOk(rt, req, body)) {
      sendJson(res, 401, { code: 'BadAdminKey', message: 'The provided admin key was invalid for this instance' });
      return;
    }
    try {
      const [status, out] = deploymentRoute(rt, method, pathname, body);
      sendJson(res, status, out);
    } catch (err) {
      if (err instanceof HttpError) sendJson(res, err.status, { code: err.code, message: err.message });
      else sendJson(res, 500, { code: 'InternalServerError', message: String(err) });
    }
  };

  // ---------------------------------------------------------------- sync (WS)
  //
  // The sync protocol as convex 1.49's browser client (`ConvexReactClient` / `BaseConvexClient`)
  // speaks it, learned from its code (convex/dist/esm/browser/sync/*):
  //   client → Connect, ModifyQuerySet {baseVersion, newVersion, modifications: Add|Remove},
  //            Authenticate {baseVersion, tokenType: 'Admin'|'User'|'None', value?},
  //            Mutation / Action {requestId, udfPath, args: [args]}, Event;
  //   server → Transition {startVersion, endVersion, modifications: QueryUpdated|QueryFailed|QueryRemoved}
  //            (versions are {querySet, identity, ts}; ts is a base64 u64), AuthError {error,
  //            baseVersion, authUpdateAttempted}, MutationResponse {requestId, success, result, ts},
  //            ActionResponse, FatalError, Ping.
  // The client counts a token as accepted when a Transition raises the identity version past the
  // one it authenticated from (endVersion.identity = baseVersion + 1).

  let nextConnectionId = 1;

  const evaluateAuthConfig = (d: Deployment): { providers: CustomJwtProvider[]; error?: string } => {
    const push = d.pushes.at(-1);
    const mod = push?.modules.find((m) => /^auth\.config\.[cm]?js$/.test(m.path));
    if (!mod) return { providers: [], error: 'No auth.config.js was pushed to this deployment.' };
    try {
      const providers = evaluateAuthConfigSource(mod.source, d.env);
      return { providers };
    } catch (error) {
      return { providers: [], error: `Could not evaluate auth.config.js: ${(error as Error).message}` };
    }
  };

  const checkUserToken = async (d: Deployment, token: string): Promise<TokenCheck> => {
    const { providers, error } = evaluateAuthConfig(d);
    if (error) return { ok: false, problem: 'issuer', message: error };
    return validateToken(token, providers, {
      jwks: async (url) => {
        if (!opts.jwks) throw new Error(`the Convex stand-in cannot resolve the JWKS at ${url} (no jwks option)`);
        return opts.jwks(url);
      },
    });
  };

  const errorOf = (err: unknown): { message: string; data?: unknown } => {
    const e = err as { message?: unknown; data?: unknown };
    const message = typeof e?.message === 'string' ? e.message : String(err);
    return e && typeof e === 'object' && 'data' in e && e.data !== undefined
      ? { message: `Uncaught ConvexError: ${message}`, data: e.data }
      : { message: `Uncaught Error: ${message}` };
  };

  const runQuery = async (
    rt: DeploymentRuntime,
    conn: SyncConnection,
    udfPath: string,
    args: unknown,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: string; errorData?: unknown }> => {
    const d = rt.deployment;
    const [file = '', fn = 'default'] = udfPath.split(':');
    const module = file.replace(/\.js$/, '');
    const a = isRecord(args) ? args : {};
    if (module.startsWith('_system/')) {
      if (!conn.admin) return { ok: false, error: 'Unauthorized: this query needs an admin key' };
      const sorted = Object.keys(d.env).sort();
      if (module === '_system/cli/queryEnvironmentVariables') {
        if (fn === 'default') return { ok: true, value: sorted.map((name) => ({ name, value: d.env[name] })) };
        if (fn === 'get') {
          const name = typeof a.name === 'string' ? a.name : '';
          return { ok: true, value: name in d.env ? { name, value: d.env[name] } : null };
        }
      }
      return { ok: false, error: `Could not find public function for '${udfPath}'. (The Convex stand-in only serves env var system queries.)` };
    }
    if (!rt.functions) {
      return { ok: false, error: `Could not find public function for '${udfPath}'. (No functions are served by this Convex stand-in deployment.)` };
    }
    try {
      return { ok: true, value: (await rt.functions.query(`${module}:${fn}`, a, conn.identity)) ?? null };
    } catch (err) {
      const { message, data } = errorOf(err);
      return { ok: false, error: message, ...(data === undefined ? {} : { errorData: data }) };
    }
  };

  const send = (rt: DeploymentRuntime, conn: SyncConnection, message: Record<string, unknown>): void => {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    lastAt = Math.max(Date.now(), lastAt);
    rt.deployment.syncMessages.push({ at: lastAt, connection: conn.id, from: 'server', message });
    conn.ws.send(JSON.stringify(message));
  };

  /** Re-runs every query of the connection; sends a Transition with those whose result changed (or all, if forced). */
  const transition = async (rt: DeploymentRuntime, conn: SyncConnection, only?: number[], always = true): Promise<void> => {
    const modifications: unknown[] = [];
    const ids = only ?? [...conn.queries.keys()];
    for (const queryId of ids) {
      const q = conn.queries.get(queryId);
      if (!q) {
        modifications.push({ type: 'QueryRemoved', queryId });
        continue;
      }
      const r = await runQuery(rt, conn, q.udfPath, q.args);
      const mod = r.ok
        ? { type: 'QueryUpdated', queryId, value: r.value, logLines: [], journal: null }
        : { type: 'QueryFailed', queryId, errorMessage: r.error, ...(r.errorData === undefined ? {} : { errorData: r.errorData }), logLines: [], journal: null };
      const key = JSON.stringify(mod);
      if (q.last === key && only === undefined) continue;
      q.last = key;
      modifications.push(mod);
    }
    const end = { querySet: conn.querySet, identity: conn.identityVersion };
    if (!always && modifications.length === 0 && end.querySet === conn.sent.querySet && end.identity === conn.sent.identity) return;
    rt.clock += 1;
    send(rt, conn, {
      type: 'Transition',
      startVersion: { querySet: conn.sent.querySet, identity: conn.sent.identity, ts: encodeTs(conn.sent.ts) },
      endVersion: { querySet: end.querySet, identity: end.identity, ts: encodeTs(rt.clock) },
      modifications,
    });
    conn.sent = { ...end, ts: rt.clock };
  };

  /** After a write: every open connection re-runs its queries and hears about changed results. */
  const refreshAll = (rt: DeploymentRuntime, except?: SyncConnection): void => {
    for (const conn of rt.connections) if (conn !== except) conn.enqueue(() => transition(rt, conn, undefined, false));
  };

  const identityFrom = (claims: Record<string, unknown>): Identity => {
    const { iss, sub, aud: _aud, exp: _exp, iat: _iat, nbf: _nbf, ...rest } = claims;
    const issuer = String(iss);
    const subject = String(sub);
    return { ...rest, issuer, subject, tokenIdentifier: `${issuer}|${subject}` };
  };

  const handleSync = (rt: DeploymentRuntime, ws: WebSocket, pathname: string): void => {
    const d = rt.deployment;
    let chain: Promise<void> = Promise.resolve();
    const conn: SyncConnection = {
      id: nextConnectionId++,
      ws,
      queries: new Map(),
      querySet: 0,
      identityVersion: 0,
      sent: { querySet: 0, identity: 0, ts: 0 },
      admin: false,
      identity: null,
      token: null,
      expiryTimer: undefined,
      enqueue: (task) => {
        chain = chain.then(task).catch((err: unknown) => {
          console.error('[convex stand-in] sync handler failed:', err);
        });
      },
    };
    rt.connections.add(conn);
    const opened: { id: number; openedAt: number; closedAt?: number } = { id: conn.id, openedAt: Date.now() };
    d.syncConnections.push(opened);
    // The real backend pings idle clients (the client reconnects after 60 s of silence).
    const ping = setInterval(() => send(rt, conn, { type: 'Ping' }), 15_000);
    ping.unref();
    ws.on('close', () => {
      opened.closedAt = Date.now();
      clearInterval(ping);
      clearTimeout(conn.expiryTimer);
      rt.connections.delete(conn);
    });

    const setToken = (token: string | null, claims?: Record<string, unknown>): void => {
      clearTimeout(conn.expiryTimer);
      conn.token = token;
      conn.identity = token && claims ? identityFrom(claims) : null;
      const exp = typeof claims?.exp === 'number' ? claims.exp : undefined;
      if (!token || exp === undefined) return;
      // Like the real backend: a token that expires while in use gets an AuthError that is not a
      // reply to an Authenticate (authUpdateAttempted: false); the client then fetches a new one.
      conn.expiryTimer = setTimeout(() => {
        if (conn.token !== token) return;
        lastAt = Math.max(Date.now(), lastAt);
        d.authChecks.push({ at: lastAt, connection: conn.id, tokenType: 'User', ok: false, problem: 'expired', message: 'Token expired while in use', claims, token });
        conn.identity = null;
        send(rt, conn, { type: 'AuthError', error: 'Token expired', baseVersion: conn.identityVersion - 1, authUpdateAttempted: false });
      }, Math.max(0, exp * 1000 - Date.now()) + 50);
      conn.expiryTimer.unref();
    };

    const handle = async (msg: Record<string, unknown>): Promise<void> => {
      switch (msg.type) {
        case 'Connect':
          break;
        case 'Authenticate': {
          const baseVersion = typeof msg.baseVersion === 'number' ? msg.baseVersion : conn.identityVersion;
          if (msg.tokenType === 'Admin') {
            if (msg.value !== d.adminKey) {
              send(rt, conn, { type: 'FatalError', error: 'BadAdminKey: The provided admin key was invalid for this instance' });
              ws.close(1008, 'BadAdminKey');
              return;
            }
            conn.admin = true;
            setToken(null);
          } else if (msg.tokenType === 'User') {
            const token = typeof msg.value === 'string' ? msg.value : '';
            const check = await checkUserToken(d, token);
            lastAt = Math.max(Date.now(), lastAt);
            d.authChecks.push({
              at: lastAt,
              connection: conn.id,
              tokenType: 'User',
              ok: check.ok,
              ...(check.ok ? {} : { problem: check.problem, message: check.message }),
              ...(check.claims ? { claims: check.claims as Record<string, unknown> } : {}),
              token,
            });
            if (!check.ok) {
              send(rt, conn, {
                type: 'AuthError',
                error: `Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired. (${check.message})`,
                baseVersion,
                authUpdateAttempted: true,
              });
              return;
            }
            conn.admin = false;
            setToken(token, check.claims as Record<string, unknown>);
          } else {
            lastAt = Math.max(Date.now(), lastAt);
            d.authChecks.push({ at: lastAt, connection: conn.id, tokenType: 'None', ok: true });
            conn.admin = false;
            setToken(null);
          }
          conn.identityVersion = baseVersion + 1;
          await transition(rt, conn);
          break;
        }
        case 'ModifyQuerySet': {
          const changed: number[] = [];
          for (const mod of Array.isArray(msg.modifications) ? (msg.modifications as unknown[]) : []) {
            if (!isRecord(mod) || typeof mod.queryId !== 'number') continue;
            if (mod.type === 'Add' && typeof mod.udfPath === 'string') {
              conn.queries.set(mod.queryId, { udfPath: mod.udfPath, args: Array.isArray(mod.args) ? mod.args[0] : {} });
            } else if (mod.type === 'Remove') {
              conn.queries.delete(mod.queryId);
            }
            changed.push(mod.queryId);
          }
          conn.querySet = typeof msg.newVersion === 'number' ? msg.newVersion : conn.querySet + 1;
          await transition(rt, conn, changed);
          break;
        }
        case 'Mutation':
        case 'Action': {
          const requestId = msg.requestId;
          const isMutation = msg.type === 'Mutation';
          const type = isMutation ? 'MutationResponse' : 'ActionResponse';
          const udfPath = typeof msg.udfPath === 'string' ? msg.udfPath : '';
          const [file = '', fn = 'default'] = udfPath.split(':');
          const name = `${file.replace(/\.js$/, '')}:${fn}`;
          const args = Array.isArray(msg.args) && isRecord(msg.args[0]) ? msg.args[0] : {};
          const run = isMutation ? rt.functions?.mutation : rt.functions?.action;
          if (!run) {
            send(rt, conn, { type, requestId, success: false, result: `Could not find public function for '${udfPath}'. (No functions are served by this Convex stand-in deployment.)`, logLines: [] });
            return;
          }
          try {
            const result = (await run(name, args, conn.identity)) ?? null;
            if (isMutation) {
              // The client resolves the mutation once a Transition reaches its commit timestamp.
              send(rt, conn, { type, requestId, success: true, result, ts: encodeTs(rt.clock + 1), logLines: [] });
              await transition(rt, conn);
            } else {
              send(rt, conn, { type, requestId, success: true, result, logLines: [] });
            }
          } catch (err) {
            const { message, data } = errorOf(err);
            send(rt, conn, { type, requestId, success: false, result: message, ...(data === undefined ? {} : { errorData: data }), logLines: [] });
          }
          refreshAll(rt, isMutation ? conn : undefined);
          break;
        }
        default:
          break;
      }
    };

    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      if (!isRecord(msg)) return;
      lastAt = Math.max(Date.now(), lastAt);
      d.syncMessages.push({ at: lastAt, connection: conn.id, from: 'client', message: msg });
      record({ kind: 'sync', method: 'WS', path: pathname, deployment: d.name, body: msg });
      conn.enqueue(() => handle(msg));
    });
  };

  /** The site origin: HTTP actions, when functions are served (404 otherwise). */
  const handleSite = async (rt: DeploymentRuntime, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', rt.deployment.siteUrl);
    const raw = await readBody(req);
    record({ kind: 'deployment', method, path: url.pathname, deployment: rt.deployment.name });
    if (await applyFault(req, res, url.pathname)) return;
    if (!rt.functions?.fetch) {
      sendJson(res, 404, { code: 'NoHttpRoutes', message: 'This Convex stand-in deployment serves no HTTP actions.' });
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    try {
      const response = await rt.functions.fetch(
        new Request(url, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(raw) }) }),
      );
      const body = Buffer.from(await response.arrayBuffer());
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => (out[k] = v));
      res.writeHead(response.status, out).end(body);
    } catch (err) {
      sendJson(res, 500, { code: 'HttpActionFailed', message: errorOf(err).message });
    }
    refreshAll(rt);
  };

  // -------------------------------------------------------------------- facade

  return {
    provisionHost,
    token,
    cliEnv: () => ({ CONVEX_PROVISION_HOST: provisionHost, CONVEX_OVERRIDE_ACCESS_TOKEN: token }),
    state,
    teams,
    requests,
    fail: (match, fault) => faults.add(match, fault),
    clearFaults: () => faults.clear(),
    serveFunctions(deploymentName, runner) {
      const rt = runtimes.get(deploymentName);
      if (!rt) throw new Error(`No deployment ${deploymentName}`);
      rt.functions = runner;
      refreshAll(rt);
    },
    authProviders(deploymentName) {
      const rt = runtimes.get(deploymentName);
      if (!rt) throw new Error(`No deployment ${deploymentName}`);
      const { providers, error } = evaluateAuthConfig(rt.deployment);
      if (error) throw new Error(error);
      return providers;
    },
    refreshQueries(deploymentName) {
      const rt = runtimes.get(deploymentName);
      if (rt) refreshAll(rt);
    },
    async createSelfHosted() {
      const deployment = await createDeployment(null, 'self-hosted');
      return { url: deployment.url, adminKey: deployment.adminKey, deployment };
    },
    async close() {
      const all: Array<Promise<void>> = [closeServer(accountServer)];
      for (const rt of runtimes.values()) {
        for (const conn of rt.connections) clearTimeout(conn.expiryTimer);
        for (const c of rt.wss.clients) c.terminate();
        rt.wss.close();
        for (const s of rt.servers) all.push(closeServer(s));
      }
      await Promise.all(all);
    },
  };
}
