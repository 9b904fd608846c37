import { defineConfig } from 'tsup';
import { featureModuleNames } from './src/features/discover.js';
import { cliFlags, directoryDescription } from './src/options/flags.js';

// One bundle for fast start-up; dynamic imports become chunks that load only when a run needs them.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: 'esm',
  target: 'node22',
  platform: 'node',
  splitting: true,
  clean: true,
  sourcemap: true,
  // What every start-up needs is bundled (one file to parse); the rest stays in node_modules and loads
  // only when a step needs it.
  noExternal: ['commander', 'zod'],
  define: {
    // The flags, computed from the option table at build time: `--help` never loads zod.
    __CLI_FLAGS__: JSON.stringify({ flags: cliFlags(), directory: directoryDescription() }),
    // The feature modules (src/features), found here: the bundle has no folder to read.
    __FEATURE_MODULES__: JSON.stringify(featureModuleNames('src/features')),
  },
});
