/**
 * Offline stand-in for the Vercel REST API, for the real `vercel` CLI pointed at it (the CLI reads
 * `api` from its global config.json, the same as its `--api` flag; the token comes from VERCEL_TOKEN).
 * It answers exactly what `vercel env add NAME production [--force] [--sensitive]` (with the value on
 * stdin) and `vercel env ls`/`env rm` ask for a linked project, in the API's own shapes: the user, the
 * team, the project, the project's environment variables (v10) and its custom environments.
 *
 * Shapes from the Vercel REST API reference (projects/env, user, teams) and the CLI's own source
 * (commands/env); anything not documented there is noted in test/world/UNCONFIRMED.md.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import fs from 'fs-extra';
import { applyFault, FaultList, type Fault, type FaultMatch } from '../faults.js';
import { parseBody, readBody, sendJson } from '../http.js';
import { closeServer, listen } from '../server.js';

export type VercelTarget = 'production' | 'preview' | 'development';

export interface VercelEnvVar {
  id: string;
  key: string;
  value: string;
  /** `sensitive` values are never returned again; `encrypted` ones are returned when decrypted. */
  type: 'sensitive' | 'encrypted' | 'plain';
  target: VercelTarget[];
  gitBranch?: string;
  createdAt: number;
  updatedAt: number;
}

export interface VercelProject {
  id: string;
  name: string;
  accountId: string;
  framework: string;
  env: VercelEnvVar[];
}

export interface VercelRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The body as sent (values included: tests read it to check what was set). */
  body: unknown;
  at: number;
}

export interface VercelStandIn {
  origin: string;
  token: string;
  team: { id: string; slug: string; name: string };
  projects: VercelProject[];
  requests: VercelRequest[];
  /** A linked project (`.vercel/project.json`, as `vercel link` writes it) in `dir`. */
  link(dir: string, projectName: string): VercelProject;
  /** Points the CLI of this HOME at the stand-in (its global config), with telemetry and update checks off. */
  configure(home: string): Promise<void>;
  /** The environment a CLI run needs: the token, and no telemetry. */
  env(): Record<string, string>;
  fail(match: FaultMatch, fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;
const TARGETS: VercelTarget[] = ['production', 'preview', 'development'];

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startVercelStandIn(): Promise<VercelStandIn> {
  const token = `vcp${randomBytes(18).toString('hex')}`;
  const team = { id: id('team'), slug: 'acme', name: 'Acme' };
  const user = { id: id('usr'), email: 'dev@example.com', name: 'Dev', username: 'dev', defaultTeamId: team.id, version: 'northstar' as const };
  const projects: VercelProject[] = [];
  const requests: VercelRequest[] = [];
  const faults = new FaultList();

  const projectOf = (idOrName: string) => {
    const project = projects.find((p) => p.id === idOrName || p.name === idOrName);
    if (!project) throw new ApiError(404, 'not_found', 'Project not found');
    return project;
  };
  /** How GET /v10/projects/:id/env shows a variable: a sensitive one without its value. */
  const shown = (v: VercelEnvVar, decrypt: boolean) => ({
    type: v.type,
    id: v.id,
    key: v.key,
    value: v.type === 'sensitive' ? '' : decrypt || v.type === 'plain' ? v.value : `enc_${Buffer.from(v.value).toString('base64')}`,
    target: v.target,
    ...(v.gitBranch ? { gitBranch: v.gitBranch } : {}),
    configurationId: null,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    createdBy: user.id,
    updatedBy: user.id,
    decrypted: decrypt && v.type !== 'sensitive',
  });

  function handle(method: string, pathname: string, query: Record<string, string>, body: unknown): [number, unknown] {
    if (method === 'GET' && pathname === '/v2/user') return [200, { user }];
    let m = /^\/(?:v\d+\/)?teams\/([^/]+)$/.exec(pathname);
    if (m && method === 'GET') {
      if (m[1] !== team.id && m[1] !== team.slug) throw new ApiError(404, 'not_found', 'Team not found');
      return [200, { ...team, membership: { role: 'OWNER', confirmed: true }, sensitiveEnvironmentVariablePolicy: 'off' }];
    }
    if (query.teamId && query.teamId !== team.id) throw new ApiError(403, 'forbidden', 'Not authorized');
    m = /^\/v\d+\/projects\/([^/]+)$/.exec(pathname);
    if (m && method === 'GET') {
      const p = projectOf(decodeURIComponent(m[1]!));
      return [200, { id: p.id, name: p.name, accountId: p.accountId, framework: p.framework, rootDirectory: null, createdAt: 0, updatedAt: 0 }];
    }
    m = /^\/(?:v\d+\/)?projects\/([^/]+)\/custom-environments$/.exec(pathname);
    if (m && method === 'GET') {
      projectOf(decodeURIComponent(m[1]!));
      return [200, { environments: [] }];
    }
    m = /^\/v10\/projects\/([^/]+)\/env$/.exec(pathname);
    if (m && method === 'GET') {
      const p = projectOf(decodeURIComponent(m[1]!));
      const envs = p.env.filter((v) => !query.target || v.target.includes(query.target as VercelTarget)).map((v) => shown(v, query.decrypt === 'true'));
      return [200, { envs, pagination: { count: envs.length, next: null, prev: null } }];
    }
    if (m && method === 'POST') return addEnv(projectOf(decodeURIComponent(m[1]!)), body, query.upsert === 'true');
    m = /^\/v\d+\/projects\/([^/]+)\/env\/([^/]+)$/.exec(pathname);
    if (m && method === 'DELETE') {
      const p = projectOf(decodeURIComponent(m[1]!));
      const i = p.env.findIndex((v) => v.id === m![2]);
      if (i < 0) throw new ApiError(404, 'not_found', 'Environment Variable not found');
      const [gone] = p.env.splice(i, 1);
      return [200, shown(gone!, false)];
    }
    throw new ApiError(404, 'not_found', `The stand-in has no route ${method} ${pathname}`);
  }

  /** POST /v10/projects/:id/env: one variable (or a list); with ?upsert=true an existing one of the same key and target is replaced. */
  function addEnv(p: VercelProject, body: unknown, upsert: boolean): [number, unknown] {
    const items = (Array.isArray(body) ? body : [body]) as Array<Record<string, unknown>>;
    const created: VercelEnvVar[] = [];
    for (const item of items) {
      const key = item.key;
      const value = item.value;
      const target = (Array.isArray(item.target) ? item.target : [item.target]) as VercelTarget[];
      const type = item.type as VercelEnvVar['type'];
      if (typeof key !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new ApiError(400, 'bad_request', 'Invalid request: `key` is invalid');
      if (typeof value !== 'string') throw new ApiError(400, 'bad_request', 'Invalid request: missing required property `value`');
      if (!['sensitive', 'encrypted', 'plain'].includes(type)) throw new ApiError(400, 'bad_request', 'Invalid request: `type` should be one of sensitive, encrypted, plain');
      if (target.length === 0 || target.some((t) => !TARGETS.includes(t))) throw new ApiError(400, 'bad_request', 'Invalid request: `target` is invalid');
      if (type === 'sensitive' && target.includes('development')) throw new ApiError(400, 'bad_request', 'Sensitive Environment Variables cannot target Development');
      const gitBranch = typeof item.gitBranch === 'string' ? item.gitBranch : undefined;
      const clash = p.env.find((v) => v.key === key && v.gitBranch === gitBranch && v.target.some((t) => target.includes(t)));
      if (clash && !upsert) {
        throw new ApiError(400, 'ENV_ALREADY_EXISTS', `A variable with the name \`${key}\` already exists for the target ${clash.target.join(',')} on branch undefined`);
      }
      const now = Date.now();
      if (clash) {
        Object.assign(clash, { value, type, target, updatedAt: now });
        created.push(clash);
      } else {
        const v: VercelEnvVar = { id: randomBytes(8).toString('base64url'), key, value, type, target, ...(gitBranch ? { gitBranch } : {}), createdAt: now, updatedAt: now };
        p.env.push(v);
        created.push(v);
      }
    }
    const out = created.map((v) => shown(v, false));
    return [201, { created: out.length === 1 ? out[0] : out, failed: [] }];
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://vercel.invalid');
    const raw = await readBody(req);
    const body = parseBody(req, raw);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, at: Date.now() });
    const send = (status: number, b: unknown) => sendJson(res, status, b);
    const errorBody = (code: string, message: string) => ({ error: { code, message } });
    const answer = { send: sendJson, body: () => errorBody('internal_server_error', 'An unexpected error occurred') };
    if (await applyFault(faults, req, res, url.pathname, answer)) return;
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(403, errorBody('forbidden', 'Not authorized'));
      return;
    }
    try {
      const [status, answer] = handle(req.method ?? 'GET', url.pathname, Object.fromEntries(url.searchParams), body);
      send(status, answer);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(error.status, errorBody(error.code, error.message));
    }
  });
  const origin = await listen(server);

  return {
    origin,
    token,
    team,
    projects,
    requests,
    link(dir, projectName) {
      const project: VercelProject = { id: id('prj'), name: projectName, accountId: team.id, framework: 'nextjs', env: [] };
      projects.push(project);
      fs.outputJsonSync(path.join(dir, '.vercel', 'project.json'), { projectId: project.id, orgId: team.id, projectName });
      return project;
    },
    async configure(home) {
      // The CLI's global config folder (XDG data dir, as it creates it on a first run).
      await fs.outputJson(path.join(home, '.local', 'share', 'com.vercel.cli', 'config.json'), {
        '// Note': 'This is your Vercel config file.',
        api: origin,
        telemetry: { enabled: false },
        updates: { auto: false },
      });
    },
    env: () => ({ VERCEL_TOKEN: token, VERCEL_TELEMETRY_DISABLED: '1' }),
    fail: (match, fault) => faults.add(match, fault),
    clearFaults: () => faults.clear(),
    close: () => closeServer(server),
  };
}
