import { defineConfig } from "vitest/config";

// Tests of the Convex backend, run against convex-test's in-memory backend.
export default defineConfig({
  test: {
    environment: "edge-runtime",
    include: ["convex/**/*.test.ts"],
    server: { deps: { inline: ["convex-test"] } },
  },
});
