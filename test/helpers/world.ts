/**
 * The offline world for one test file: the Convex stand-in, the WorkOS stand-in and the local shadcn
 * registry, plus the environment that points the real tools (and our CLI) at them.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startConvexStandIn } from '../world/convex/index.js';
import { startShadcnRegistry } from '../world/shadcn-registry/index.js';
import { startWorkOSStandIn } from '../world/workos/index.js';

export type World = Awaited<ReturnType<typeof startWorld>>;

export async function startWorld(opts: { teams?: Array<{ slug: string; name: string }> } = {}) {
  const [convex, workos, registry] = await Promise.all([
    startConvexStandIn({ teams: opts.teams }),
    startWorkOSStandIn(),
    startShadcnRegistry(),
  ]);
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
