/** Creating a deployment: its API server (with the sync socket) and its site server, on their own origins. */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { listen } from '../server.js';
import type { ConvexContext, DeploymentRuntime } from './context.js';
import { handleDeployment } from './deployment-api.js';
import { handleSite } from './site.js';
import { handleSync } from './sync-socket.js';
import type { Deployment, Project } from './types.js';

const ADJECTIVES = ['happy', 'brave', 'calm', 'quick', 'bright', 'gentle', 'proud', 'wise'];
const ANIMALS = ['otter', 'falcon', 'badger', 'heron', 'lynx', 'panda', 'whale', 'koala'];

export async function createDeployment(ctx: ConvexContext, projectId: number | null, kind: 'dev' | 'prod' | 'self-hosted'): Promise<Deployment> {
  const n = ctx.counters.deployment++;
  const name =
    kind !== 'self-hosted'
      ? `${ADJECTIVES[n % ADJECTIVES.length]}-${ANIMALS[Math.floor(n / ADJECTIVES.length) % ANIMALS.length]}-${100 + n}`
      : `self-hosted-${100 + n}`;
  const secret = randomBytes(24).toString('hex');
  const adminKey = kind === 'self-hosted' ? `self-hosted|${secret}` : `${kind}:${name}|${secret}`;
  const apiServer = http.createServer();
  const siteServer = http.createServer();
  const url = await listen(apiServer);
  const siteUrl = await listen(siteServer);
  const deployment: Deployment = { name, url, siteUrl, adminKey, projectId, ...(kind === 'self-hosted' ? {} : { deploymentType: kind }), env: {}, pushes: [], syncMessages: [], authChecks: [], syncConnections: [] };
  const wss = new WebSocketServer({ noServer: true });
  const rt: DeploymentRuntime = { deployment, servers: [apiServer, siteServer], wss, pending: null, connections: new Set(), functions: null, clock: 0 };
  apiServer.on('request', (req, res) => void handleDeployment(ctx, rt, req, res));
  apiServer.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (!/^\/api\/[^/]+\/sync$/.test(pathname)) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => handleSync(ctx, rt, ws, pathname));
  });
  siteServer.on('request', (req, res) => void handleSite(ctx, rt, req, res));
  ctx.state.deployments.push(deployment);
  ctx.runtimes.set(name, rt);
  return deployment;
}

/** A project has one dev deployment, made on first use. */
export async function devDeploymentFor(ctx: ConvexContext, project: Project): Promise<Deployment> {
  return ctx.state.deployments.find((d) => d.projectId === project.id && d.deploymentType !== 'prod') ?? (await createDeployment(ctx, project.id, 'dev'));
}
