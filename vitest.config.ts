import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // End-to-end tests scaffold real apps; their own timeouts are set per test.
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Two cores: run files one at a time so heavy end-to-end files do not starve each other.
    fileParallelism: false,
  },
});
