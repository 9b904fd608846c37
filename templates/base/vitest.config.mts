import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The app's own tests: the Convex backend against convex-test's in-memory backend, and the
// Next.js side's security checks (src/**/*.test.ts: OAuth state, session cookie, throttle).
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    environment: "edge-runtime",
    include: ["convex/**/*.test.ts", "src/**/*.test.ts"],
    // convex-test and the rate limiter's test helper (TypeScript source) run through vite.
    server: { deps: { inline: ["convex-test", "@convex-dev/rate-limiter"] } },
  },
});
