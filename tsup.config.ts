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
  // What every start-up needs is bundled (one file to parse, unused parts of zod shaken out); the
  // rest stays in node_modules and loads only when a step needs it.
  noExternal: ['commander', 'zod'],
});
