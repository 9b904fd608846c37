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
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';

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
}

export interface RecordedRequest {
  at: number;
  kind: 'account' | 'deployment' | 'sync';
  method: string;
  path: string;
  deployment?: string;
  body?: unknown;
}

export interface FaultMatch {
  method?: string;
  path: string | RegExp;
}

export interface Fault {
  status?: number;
  body?: unknown;
  delayMs?: number;
  drop?: boolean;
  /** How many matching requests it applies to (default 1). */
  times?: number;
}

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
  close(): Promise<void>;
}

const SERVER_VERSION = '1.49.0';
const ENV_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_ENV_VALUE_BYTES = 8 * 1024;
const MAX_ENV_VARS = 512;

interface FaultRule {
  match: FaultMatch;
  fault: Fault;
  remaining: number;
}

interface PendingPush {
  modules: Array<{ path: string; source: string }>;
}

interface DeploymentRuntime {
  deployment: Deployment;
  servers: http.Server[];
  wss: WebSocketServer;
  pending: PendingPush | null;
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

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
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
  opts: { teams?: Array<{ id?: number; slug: string; name: string }>; token?: string } = {},
): Promise<ConvexStandIn> {
  const token = opts.token ?? `standin_${randomBytes(16).toString('hex')}`;
  const teams: Team[] = (opts.teams ?? [{ slug: 'acme', name: 'Acme' }]).map((t, i) => ({
    id: t.id ?? 1000 + i,
    slug: t.slug,
    name: t.name,
  }));
  const state = { projects: [] as Project[], deployments: [] as Deployment[] };
  const requests: RecordedRequest[] = [];
  const faults: FaultRule[] = [];
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
    const rule = faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.match.method === undefined || f.match.method.toUpperCase() === req.method) &&
        (typeof f.match.path === 'string' ? f.match.path === pathname : f.match.path.test(pathname)),
    );
    if (!rule) return false;
    rule.remaining -= 1;
    const { fault } = rule;
    if (fault.delayMs) await sleep(fault.delayMs);
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
    const deployment: Deployment = { name, url, siteUrl, adminKey, projectId, env: {}, pushes: [] };
    const wss = new WebSocketServer({ noServer: true });
    const rt: DeploymentRuntime = { deployment, servers: [apiServer, siteServer], wss, pending: null };
    apiServer.on('request', (req, res) => void handleDeployment(rt, req, res));
    apiServer.on('upgrade', (req, socket, head) => {
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      if (!/^\/api\/[^/]+\/sync$/.test(pathname)) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => handleSync(rt, ws, pathname));
    });
    siteServer.on('request', (req, res) => {
      record({ kind: 'deployment', method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://x').pathname, deployment: name });
      sendJson(res, 404, { code: 'NoHttpRoutes', message: 'The Convex stand-in does not run HTTP actions yet.' });
    });
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

  const runQuery = (d: Deployment, udfPath: string, args: unknown): { ok: true; value: unknown } | { ok: false; error: string } => {
    const [file = '', fn = 'default'] = udfPath.split(':');
    const module = file.replace(/\.js$/, '');
    const a = isRecord(args) ? args : {};
    const sorted = Object.keys(d.env).sort();
    if (module === '_system/cli/queryEnvironmentVariables') {
      if (fn === 'default') return { ok: true, value: sorted.map((name) => ({ name, value: d.env[name] })) };
      if (fn === 'get') {
        const name = typeof a.name === 'string' ? a.name : '';
        return { ok: true, value: name in d.env ? { name, value: d.env[name] } : null };
      }
    }
    return { ok: false, error: `Could not find public function for '${udfPath}'. (The Convex stand-in only serves env var system queries.)` };
  };

  const handleSync = (rt: DeploymentRuntime, ws: WebSocket, pathname: string): void => {
    const d = rt.deployment;
    const queries = new Map<number, { udfPath: string; args: unknown }>();
    let querySet = 0;
    let identity = 0;
    let ts = 0;
    let sent = { querySet: 0, identity: 0, ts: 0 };
    let admin = false;

    const transition = (modifications: unknown[]): void => {
      ts += 1;
      const end = { querySet, identity, ts };
      ws.send(
        JSON.stringify({
          type: 'Transition',
          startVersion: { querySet: sent.querySet, identity: sent.identity, ts: encodeTs(sent.ts) },
          endVersion: { querySet: end.querySet, identity: end.identity, ts: encodeTs(end.ts) },
          modifications,
        }),
      );
      sent = end;
    };
    const result = (queryId: number): unknown => {
      const q = queries.get(queryId);
      if (!q) return { type: 'QueryRemoved', queryId };
      const r = admin ? runQuery(d, q.udfPath, q.args) : { ok: false as const, error: 'Unauthorized: this query needs an admin key' };
      return r.ok
        ? { type: 'QueryUpdated', queryId, value: r.value ?? null, logLines: [], journal: null }
        : { type: 'QueryFailed', queryId, errorMessage: r.error, logLines: [], journal: null };
    };

    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      if (!isRecord(msg)) return;
      record({ kind: 'sync', method: 'WS', path: pathname, deployment: d.name, body: msg });
      switch (msg.type) {
        case 'Connect':
          break;
        case 'Authenticate': {
          const baseVersion = typeof msg.baseVersion === 'number' ? msg.baseVersion : identity;
          if (msg.tokenType === 'Admin') {
            if (msg.value !== d.adminKey) {
              ws.send(JSON.stringify({ type: 'FatalError', error: 'BadAdminKey: The provided admin key was invalid for this instance' }));
              ws.close(1008, 'BadAdminKey');
              return;
            }
            admin = true;
          } else {
            admin = false;
          }
          identity = baseVersion + 1;
          transition([...queries.keys()].map(result));
          break;
        }
        case 'ModifyQuerySet': {
          const changed: number[] = [];
          for (const mod of Array.isArray(msg.modifications) ? (msg.modifications as unknown[]) : []) {
            if (!isRecord(mod) || typeof mod.queryId !== 'number') continue;
            if (mod.type === 'Add' && typeof mod.udfPath === 'string') {
              queries.set(mod.queryId, { udfPath: mod.udfPath, args: Array.isArray(mod.args) ? mod.args[0] : {} });
            } else if (mod.type === 'Remove') {
              queries.delete(mod.queryId);
            }
            changed.push(mod.queryId);
          }
          querySet = typeof msg.newVersion === 'number' ? msg.newVersion : querySet + 1;
          transition(changed.map(result));
          break;
        }
        case 'Mutation':
        case 'Action': {
          const requestId = msg.requestId;
          const type = msg.type === 'Mutation' ? 'MutationResponse' : 'ActionResponse';
          ws.send(JSON.stringify({ type, requestId, success: false, result: 'The Convex stand-in does not run functions.', logLines: [] }));
          break;
        }
        default:
          break;
      }
    });
  };

  // -------------------------------------------------------------------- facade

  return {
    provisionHost,
    token,
    cliEnv: () => ({ CONVEX_PROVISION_HOST: provisionHost, CONVEX_OVERRIDE_ACCESS_TOKEN: token }),
    state,
    teams,
    requests,
    fail(match, fault) {
      faults.push({ match, fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    async createSelfHosted() {
      const deployment = await createDeployment(null, 'self-hosted');
      return { url: deployment.url, adminKey: deployment.adminKey, deployment };
    },
    async close() {
      const all: Array<Promise<void>> = [closeServer(accountServer)];
      for (const rt of runtimes.values()) {
        for (const c of rt.wss.clients) c.terminate();
        rt.wss.close();
        for (const s of rt.servers) all.push(closeServer(s));
      }
      await Promise.all(all);
    },
  };
}
