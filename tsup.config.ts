import { defineConfig } from 'tsup';

// One bundle for fast start-up; dynamic imports become chunks that load only when a run needs them.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: 'esm',
  target: 'node22',
  platform: 'node',
  splitting: true,
  clean: true,
  sourcemap: true,
  // Dependencies stay in node_modules: they are installed with the package.
  skipNodeModulesBundle: true,
});
