/**
 * A stand-in for Convex's `convex-local-backend` binary (what the convex CLI runs for a local or
 * anonymous deployment), made of the Convex stand-in's deployment part. The CLI 1.49 calls it three
 * ways (lib/localDeployment/run.js, secrets.js):
 *   `<bin> <args…> --help`                                     must exit 0 (a check the binary runs),
 *   `<bin> keygen admin-key --instance-name N --instance-secret S`   prints the admin key,
 *   `<bin> --port P --site-proxy-port Q --instance-name N --instance-secret S [--local-storage D]
 *          [--sentry-identifier …] [--beacon-tag …] [--beacon-fields …] [--control-plane-url …]
 *          [--control-plane-access-token …] <sqlite path>`     serves until SIGTERM.
 * It answers `/instance_name` and the deployment API (push, variables, functions, sync socket) on P,
 * HTTP actions on Q. What it holds (variables, pushes, the requests' paths) is kept as JSON in the
 * sqlite path, so a restart keeps it, as the real one's database does, and a test can read it.
 */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { createContext } from '../context.js';
import type { DeploymentRuntime } from '../context.js';
import { handleDeployment } from '../deployment-api.js';
import { handleSite } from '../site.js';
import { handleSync } from '../sync-socket.js';
import type { Deployment } from '../types.js';

/** What the state file holds. */
export interface LocalBackendState {
  name: string;
  env: Record<string, string>;
  pushes: Deployment['pushes'];
  requests: Array<{ method: string; path: string }>;
  /** The flags it was last started with (values of secret ones left out). */
  flags: string[];
}

/** The admin key of an instance: derived from its name and secret, so `keygen` and the server agree. */
export const adminKeyOf = (name: string, secret: string) => `${name}|${createHmac('sha256', secret).update(name).digest('hex')}`;

const options = {
  port: { type: 'string' },
  'site-proxy-port': { type: 'string' },
  'instance-name': { type: 'string' },
  'instance-secret': { type: 'string' },
  'local-storage': { type: 'string' },
  'sentry-identifier': { type: 'string' },
  'beacon-tag': { type: 'string' },
  'beacon-fields': { type: 'string' },
  'control-plane-url': { type: 'string' },
  'control-plane-access-token': { type: 'string' },
  help: { type: 'boolean' },
} as const;

function main(argv: string[]): void {
  // strict: a flag the real CLI passes and this stand-in does not know fails the run, as a test should.
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write('convex-local-backend (test stand-in)\n');
    return;
  }
  const name = values['instance-name'];
  const secret = values['instance-secret'];
  if (!name || !secret) throw new Error('--instance-name and --instance-secret are required');
  if (positionals[0] === 'keygen' && positionals[1] === 'admin-key') {
    process.stdout.write(adminKeyOf(name, secret) + '\n');
    return;
  }
  const [dbPath] = positionals;
  if (!dbPath || !values.port || !values['site-proxy-port']) throw new Error('usage: --port P --site-proxy-port Q --instance-name N --instance-secret S <db path>');
  void serve({ name, secret, dbPath, port: Number(values.port), sitePort: Number(values['site-proxy-port']), argv });
}

async function serve(opts: { name: string; secret: string; dbPath: string; port: number; sitePort: number; argv: string[] }): Promise<void> {
  const saved: Partial<LocalBackendState> = existsSync(opts.dbPath) ? JSON.parse(readFileSync(opts.dbPath, 'utf8')) : {};
  const flags = opts.argv.filter((a) => a.startsWith('--'));
  const ctx = createContext({ token: '', teams: [], jwks: workosJwks });
  const deployment: Deployment = {
    name: opts.name,
    url: `http://127.0.0.1:${opts.port}`,
    siteUrl: `http://127.0.0.1:${opts.sitePort}`,
    adminKey: adminKeyOf(opts.name, opts.secret),
    projectId: null,
    env: saved.env ?? {},
    pushes: saved.pushes ?? [],
    syncMessages: [],
    authChecks: [],
    syncConnections: [],
  };
  const requests = saved.requests ?? [];
  const save = () => {
    const state: LocalBackendState = { name: opts.name, env: deployment.env, pushes: deployment.pushes, requests, flags };
    // Whole or not at all: a test may read it while a request is answered.
    writeFileSync(opts.dbPath + '.tmp', JSON.stringify(state));
    renameSync(opts.dbPath + '.tmp', opts.dbPath);
  };
  const apiServer = http.createServer();
  const siteServer = http.createServer();
  const rt: DeploymentRuntime = { deployment, servers: [apiServer, siteServer], wss: new WebSocketServer({ noServer: true }), pending: null, connections: new Set(), functions: null, clock: 0 };
  apiServer.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? 'GET', path });
    res.on('finish', save);
    if (path === '/instance_name') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(opts.name);
      return;
    }
    void handleDeployment(ctx, rt, req, res);
  });
  apiServer.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (!/^\/api\/[^/]+\/sync$/.test(pathname)) return void socket.destroy();
    rt.wss.handleUpgrade(req, socket, head, (ws) => handleSync(ctx, rt, ws, pathname));
  });
  siteServer.on('request', (req, res) => void handleSite(ctx, rt, req, res));
  ctx.state.deployments.push(deployment);
  ctx.runtimes.set(opts.name, rt);
  await Promise.all([listenOn(apiServer, opts.port), listenOn(siteServer, opts.sitePort)]);
  save();
  const stop = () => {
    for (const c of rt.wss.clients) c.terminate();
    for (const s of rt.servers) s.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The real binary listens on the loopback ports the CLI chose. */
function listenOn(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** WorkOS's public JWKS URLs, answered by the WorkOS stand-in the CLI's environment points at. */
async function workosJwks(url: string) {
  const host = process.env.WORKOS_API_HOSTNAME;
  const clientId = /\/sso\/jwks\/([^/?]+)/.exec(url)?.[1];
  if (!host || !clientId) throw new Error(`the local backend stand-in has no JWKS for ${url}`);
  const res = await fetch(`http://${host}:${process.env.WORKOS_API_PORT ?? 80}/sso/jwks/${clientId}`);
  if (!res.ok) throw new Error(`JWKS ${url}: HTTP ${res.status}`);
  return res.json();
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`convex-local-backend: ${(error as Error).message}\n`);
  process.exit(1);
}
