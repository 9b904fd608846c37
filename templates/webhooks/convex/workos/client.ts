import { WorkOS } from "@workos-inc/node";

/**
 * A WorkOS API client for Convex functions, made per call so that it always reads the
 * deployment's current environment variables.
 *
 * The SDK picks its WebCrypto build in the Convex runtime, so no "use node" is needed.
 * WORKOS_API_HOSTNAME / WORKOS_API_PORT / WORKOS_API_HTTPS (optional, the same variables
 * authkit-nextjs reads) point it at another API host, e.g. a local stand-in in tests.
 */
export function createWorkOS() {
  const apiKey = process.env.WORKOS_API_KEY;
  if (!apiKey) {
    throw new Error(
      "WORKOS_API_KEY is not set on this Convex deployment. Set it with `npx convex env set WORKOS_API_KEY`.",
    );
  }
  const port = process.env.WORKOS_API_PORT;
  return new WorkOS(apiKey, {
    clientId: process.env.WORKOS_CLIENT_ID,
    apiHostname: process.env.WORKOS_API_HOSTNAME || undefined,
    port: port ? Number(port) : undefined,
    https: process.env.WORKOS_API_HTTPS ? process.env.WORKOS_API_HTTPS === "true" : undefined,
  });
}
