/** What every part of the Convex stand-in shares: its account data, deployments, request log and clocks. */
import type http from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type { WebSocket, WebSocketServer } from 'ws';
import { FaultList } from '../faults.js';
import type { Deployment, FunctionRunner, Identity, Project, RecordedRequest, Team } from './types.js';

export interface PendingPush {
  modules: Array<{ path: string; source: string }>;
}

export interface SyncConnection {
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

export interface DeploymentRuntime {
  deployment: Deployment;
  servers: http.Server[];
  wss: WebSocketServer;
  pending: PendingPush | null;
  connections: Set<SyncConnection>;
  functions: FunctionRunner | null;
  /** The deployment's logical clock (Transition / mutation timestamps). */
  clock: number;
}

export interface ConvexContext {
  /** The access token the account API accepts. */
  token: string;
  teams: Team[];
  state: { projects: Project[]; deployments: Deployment[] };
  requests: RecordedRequest[];
  faults: FaultList;
  runtimes: Map<string, DeploymentRuntime>;
  /** Resolves a JWKS URL from auth.config to a key set, offline. */
  jwks?: (url: string) => Promise<JSONWebKeySet>;
  counters: { project: number; deployment: number; connection: number };
  /** A timestamp never before the last one handed out, so every log is in order. */
  now(): number;
  record(r: Omit<RecordedRequest, 'at'>): void;
}

export function createContext(init: Pick<ConvexContext, 'token' | 'teams' | 'jwks'>): ConvexContext {
  let lastAt = 0;
  const ctx: ConvexContext = {
    ...init,
    state: { projects: [], deployments: [] },
    requests: [],
    faults: new FaultList(),
    runtimes: new Map(),
    counters: { project: 1, deployment: 0, connection: 1 },
    now: () => (lastAt = Math.max(Date.now(), lastAt)),
    record: (r) => {
      ctx.requests.push({ at: ctx.now(), ...r });
    },
  };
  return ctx;
}
