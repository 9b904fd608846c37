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
 *
 * The parts: account-api.ts, deployments.ts (a deployment's servers), deployment-api.ts with
 * env-vars.ts and push.ts, sync-socket.ts with sync-auth.ts, transitions.ts and run-functions.ts,
 * site.ts (HTTP actions), auth-config.ts (evaluating the pushed auth.config.js).
 */
import { randomBytes } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { Fault, FaultMatch } from '../faults.js';
import { closeServer } from '../server.js';
import { startAccountApi } from './account-api.js';
import { evaluateAuthConfig } from './auth-config.js';
import { createContext } from './context.js';
import { createDeployment } from './deployments.js';
import { createPreviewDeployKey, defaultsOf, deleteDeployment, previewsOf } from './previews.js';
import { refreshAll } from './transitions.js';
import { managedWorkosOf, type ManagedWorkos } from './managed-workos.js';
import type { ConvexStandIn, Team } from './types.js';

export type * from './types.js';
export type { Fault, FaultMatch };
export { envVarsReadBy, evaluateAuthConfigSource } from './auth-config.js';

export async function startConvexStandIn(
  opts: {
    teams?: Array<{ id?: number; slug: string; name: string }>;
    token?: string;
    /** Resolves a JWKS URL from auth.config (e.g. WorkOS's public one) to a key set, offline. */
    jwks?: (url: string) => Promise<JSONWebKeySet>;
    /** Makes the environments of Convex-managed WorkOS (managed-workos.ts), e.g. in the WorkOS stand-in. */
    managedWorkos?: Pick<ManagedWorkos, 'createEnvironment'>;
  } = {},
): Promise<ConvexStandIn> {
  const token = opts.token ?? `standin_${randomBytes(16).toString('hex')}`;
  const teams: Team[] = (opts.teams ?? [{ slug: 'acme', name: 'Acme' }]).map((t, i) => ({
    id: t.id ?? 1000 + i,
    slug: t.slug,
    name: t.name,
  }));
  const ctx = createContext({ token, teams, jwks: opts.jwks });
  const { state, requests, faults, runtimes } = ctx;
  const managedWorkos = managedWorkosOf(ctx, opts.managedWorkos);
  const { server: accountServer, origin: provisionHost } = await startAccountApi(ctx);

  const runtimeOf = (deploymentName: string) => {
    const rt = runtimes.get(deploymentName);
    if (!rt) throw new Error(`No deployment ${deploymentName}`);
    return rt;
  };

  return {
    provisionHost,
    token,
    cliEnv: () => ({ CONVEX_PROVISION_HOST: provisionHost, CONVEX_OVERRIDE_ACCESS_TOKEN: token }),
    state,
    teams,
    managedWorkos,
    requests,
    fail: (match, fault) => faults.add(match, fault),
    clearFaults: () => faults.clear(),
    serveFunctions(deploymentName, runner) {
      const rt = runtimeOf(deploymentName);
      rt.functions = runner;
      refreshAll(ctx, rt);
    },
    authProviders(deploymentName) {
      const { providers, error } = evaluateAuthConfig(runtimeOf(deploymentName).deployment);
      if (error) throw new Error(error);
      return providers;
    },
    previewDeployKey: (teamSlug, projectSlug) => createPreviewDeployKey(ctx, teamSlug, projectSlug),
    previews: (projectId) => previewsOf(ctx, projectId),
    defaultEnv: (projectId, type) => defaultsOf(ctx, projectId)[type],
    deleteDeployment: (name) => deleteDeployment(ctx, name),
    refreshQueries(deploymentName) {
      const rt = runtimes.get(deploymentName);
      if (rt) refreshAll(ctx, rt);
    },
    async createSelfHosted() {
      const deployment = await createDeployment(ctx, null, 'self-hosted');
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
