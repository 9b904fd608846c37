/**
 * The offline world for one test file: the Convex stand-in, the WorkOS stand-in and the local shadcn
 * registry, plus the environment that points the real tools (and our CLI) at them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { JSONWebKeySet } from 'jose';
import path from 'node:path';
import dotenv from 'dotenv';
import { startConvexStandIn } from '../world/convex/index.js';
import { startNpmRegistry } from '../world/npm-registry/index.js';
import { startShadcnRegistry } from '../world/shadcn-registry/index.js';
import { startWorkOSStandIn, type StandInOptions } from '../world/workos/index.js';

export type World = Awaited<ReturnType<typeof startWorld>>;

export async function startWorld(opts: { teams?: Array<{ slug: string; name: string }>; workos?: StandInOptions } = {}) {
  const [workos, registry, npm] = await Promise.all([startWorkOSStandIn(opts.workos), startShadcnRegistry(), startNpmRegistry()]);
  // The Convex stand-in validates users' tokens against auth.config; WorkOS's public JWKS URLs (on
  // api.workos.com, or the environment's custom authentication domain) are answered by the WorkOS
  // stand-in (nothing is fetched from the internet).
  const convex = await startConvexStandIn({
    teams: opts.teams,
    jwks: async (url) => {
      const clientId = workos.jwksClientOf(url);
      if (!clientId) throw new Error(`the test world has no JWKS for ${url}`);
      const res = await fetch(`${workos.origin}/sso/jwks/${clientId}`);
      if (!res.ok) throw new Error(`JWKS ${url}: HTTP ${res.status}`);
      return (await res.json()) as JSONWebKeySet;
    },
    // Convex-managed WorkOS makes a real environment of the WorkOS stand-in: its key and client ID work there.
    managedWorkos: {
      createEnvironment: (deploymentName, production) => {
        const env = workos.addEnvironment({ name: deploymentName, production });
        return { environmentId: env.id, environmentName: env.name, clientId: env.clientId, apiKey: env.apiKey };
      },
    },
  });
  // A HOME of its own, so no real ~/.convex login is read or written; npm keeps the machine's cache,
  // as a user's npm would (keyed by registry URL, so the npm registry stand-in is still asked).
  const home = mkdtempSync(path.join(os.tmpdir(), 'cak-home-'));
  const npmCache = process.env.npm_config_cache || path.join(os.homedir(), '.npm');
  /** Everything a CLI run needs to talk to this world, keys included. */
  const env = (): Record<string, string> => ({
    HOME: home,
    npm_config_cache: npmCache,
    ...convex.cliEnv(),
    ...workos.sdkEnv(),
    REGISTRY_URL: registry.url,
    WORKOS_API_KEY: workos.apiKey,
    WORKOS_CLIENT_ID: workos.clientId,
  });
  /** Projects the tests made against this world: their cookie passwords are secrets too. */
  const apps = new Set<string>();
  const cookiePasswords = () =>
    [...apps].flatMap((app) =>
      // The dev one, and the production one --add-production writes.
      ['.env.local', '.env.production.local'].flatMap((file) => {
        try {
          return [dotenv.parse(readFileSync(path.join(app, file), 'utf8')).WORKOS_COOKIE_PASSWORD ?? ''].filter(Boolean);
        } catch {
          return [];
        }
      }),
    );
  return {
    convex,
    workos,
    registry,
    /** The npm registry stand-in; runs reach it only when given `npm.env()` (e.g. to fail an install). */
    npm,
    home,
    env,
    /** Registers a project directory, so that secrets() includes its cookie password. */
    trackApp: (dir: string) => void apps.add(dir),
    /** Every secret a run may hold; none may show in output, logs or argv. */
    secrets: () => [
      workos.apiKey,
      ...workos.state.webhookEndpoints.map((e) => e.secret),
      workos.production.apiKey,
      ...workos.production.state.webhookEndpoints.map((e) => e.secret),
      ...workos.environments.flatMap((e) => [e.apiKey, ...e.state.webhookEndpoints.map((w) => w.secret)]),
      ...convex.state.deployments.flatMap((d) => [d.adminKey, ...(d.deployKeys ?? []).map((k) => k.key)]),
      convex.token,
      ...cookiePasswords(),
    ],
    clearFaults: () => {
      convex.clearFaults();
      workos.clearFaults();
      registry.clearFaults();
      npm.clearFaults();
    },
    close: () => Promise.all([convex.close(), workos.close(), registry.close(), npm.close()]),
  };
}
