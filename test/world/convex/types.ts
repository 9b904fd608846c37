/** The Convex stand-in's public types: what it records and the handle a test holds. */
import type { Fault, FaultMatch } from '../faults.js';

/** A `customJwt` entry of a pushed auth.config, as the deployment reads it (convex/server's `AuthProvider`). */
export interface CustomJwtProvider {
  type: 'customJwt';
  issuer: string;
  jwks: string;
  algorithm?: 'RS256' | 'ES256';
  applicationID?: string;
}

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
  /** Milliseconds, as the platform API's `ProjectResponse.createTime`. */
  createTime: number;
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
  /** 'dev' unless made as a production deployment (production-api.ts). */
  deploymentType?: 'dev' | 'prod';
  reference?: string;
  isDefault?: boolean;
  /** Deploy keys made for it: each may administer this deployment only. */
  deployKeys?: Array<{ name: string; key: string }>;
  env: Record<string, string>;
  pushes: Push[];
  /** Every message on this deployment's sync WebSockets, client's and server's, in order. */
  syncMessages: SyncMessage[];
  /** Every Authenticate (User / None) the sync socket judged, and tokens that expired in use; and the
   *  tokens of HTTP queries (connection 0, http-query.ts). */
  authChecks: AuthCheck[];
  /** How far the deployment's clock runs ahead of the app's when it judges an HTTP query's token (a test sets it). */
  httpClockAheadSeconds?: number;
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

export interface ConvexStandIn {
  provisionHost: string;
  token: string;
  cliEnv(): Record<string, string>;
  state: { projects: Project[]; deployments: Deployment[] };
  teams: Team[];
  /** Convex-managed WorkOS: the account's emails, linked WorkOS teams, environments (managed-workos.ts). */
  managedWorkos: import('./managed-workos.js').ManagedWorkos;
  requests: RecordedRequest[];
  fail(match: FaultMatch, fault: Fault): void;
  /** Removes every fault still pending. */
  clearFaults(): void;
  createSelfHosted(): Promise<{ url: string; adminKey: string; deployment: Deployment }>;
  /** Serve these functions (queries, mutations, actions, HTTP actions) on the deployment; null stops. */
  serveFunctions(deploymentName: string, runner: FunctionRunner | null): void;
  /** The providers of the deployment's last pushed auth.config.js, evaluated with its env. */
  authProviders(deploymentName: string): CustomJwtProvider[];
  /** A preview deploy key of the project, as the dashboard makes one (previews.ts). */
  previewDeployKey(teamSlug: string, projectSlug: string): string;
  /** A project's preview deployments, by preview name. */
  previews(projectId: number): Map<string, Deployment>;
  /** A project's default variables for one deployment type (`env default`), live. */
  defaultEnv(projectId: number, type: 'dev' | 'preview' | 'prod'): Record<string, string>;
  /** Deletes a deployment, as the dashboard or the preview clean-up does. */
  deleteDeployment(name: string): Promise<void>;
  /** Re-run every subscribed query (after a change made outside the sync socket). */
  refreshQueries(deploymentName: string): void;
  close(): Promise<void>;
}
