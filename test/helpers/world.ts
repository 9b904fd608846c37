/**
 * The offline world for one test file: the Convex stand-in, the WorkOS stand-in and the local shadcn
 * registry, plus the environment that points the real tools (and our CLI) at them.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import type { JSONWebKeySet } from 'jose';
import path from 'node:path';
import { startConvexStandIn } from '../world/convex/index.js';
import { startShadcnRegistry } from '../world/shadcn-registry/index.js';
import { startWorkOSStandIn, type StandInOptions } from '../world/workos/index.js';

/** WorkOS publishes each client's signing keys here; auth.config.ts names this URL. */
const WORKOS_JWKS = /^https:\/\/api\.workos\.com\/sso\/jwks\/([^/?#]+)$/;

export type World = Awaited<ReturnType<typeof startWorld>>;

export async function startWorld(opts: { teams?: Array<{ slug: string; name: string }>; workos?: StandInOptions } = {}) {
  const [workos, registry] = await Promise.all([startWorkOSStandIn(opts.workos), startShadcnRegistry()]);
  // The Convex stand-in validates users' tokens against auth.config; WorkOS's public JWKS URL is
  // answered by the WorkOS stand-in (nothing is fetched from the internet).
  const convex = await startConvexStandIn({
    teams: opts.teams,
    jwks: async (url) => {
      const m = WORKOS_JWKS.exec(url);
      if (!m) throw new Error(`the test world has no JWKS for ${url}`);
      const res = await fetch(`${workos.origin}/sso/jwks/${m[1]}`);
      if (!res.ok) throw new Error(`JWKS ${url}: HTTP ${res.status}`);
      return (await res.json()) as JSONWebKeySet;
    },
  });
  // A HOME of its own, so no real ~/.convex login is read or written.
  const home = mkdtempSync(path.join(os.tmpdir(), 'cak-home-'));
  /** Everything a CLI run needs to talk to this world, keys included. */
  const env = (): Record<string, string> => ({
    HOME: home,
    ...convex.cliEnv(),
    ...workos.sdkEnv(),
    REGISTRY_URL: registry.url,
    WORKOS_API_KEY: workos.apiKey,
    WORKOS_CLIENT_ID: workos.clientId,
  });
  return {
    convex,
    workos,
    registry,
    home,
    env,
    /** Every secret a run may hold; none may show in output, logs or argv. */
    secrets: () => [
      workos.apiKey,
      ...workos.state.webhookEndpoints.map((e) => e.secret),
      ...convex.state.deployments.map((d) => d.adminKey),
    ],
    close: () => Promise.all([convex.close(), workos.close(), registry.close()]),
  };
}
