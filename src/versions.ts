/**
 * The one pinned version map for everything a generated app installs.
 *
 * Every dependency our steps add goes through here, so the set the tests prove is the set users get.
 * Bump a version only together with a green end-to-end run (`test/e2e`).
 */

/** create-next-app is run through the package manager's "exec" with this exact version. */
export const CREATE_NEXT_APP_VERSION = '16.4.3';
/** The shadcn CLI, likewise run at an exact version. */
export const SHADCN_VERSION = '4.23.0';

/** Runtime dependencies of the finished app. */
export const appDependencies: Record<string, string> = {
  // Backend and auth.
  convex: '1.49.0',
  'convex-helpers': '0.1.135',
  '@workos-inc/authkit-nextjs': '4.3.2',
  // authkit-nextjs 4 declares a peer range of ^9 || ^10 for the SDK: 11 would not satisfy it.
  '@workos-inc/node': '10.14.0',
  // The sign-in throttle's limits, stored in the deployment (a Convex component, convex/convex.config.ts).
  '@convex-dev/rate-limiter': '0.4.0',
  // Local Geist fonts: next/font/google needs the network at build time.
  geist: '1.9.2',
  // What shadcn's init and our components import; present before shadcn runs so it needs no install of its own.
  'class-variance-authority': '0.7.1',
  clsx: '2.1.1',
  'tailwind-merge': '3.7.0',
  'lucide-react': '1.79.0',
  'tw-animate-css': '1.4.0',
  'radix-ui': '1.8.1',
};

/** Development dependencies of the finished app. */
export const appDevDependencies: Record<string, string> = {
  // create-next-app writes ^20; vitest 5 needs 22+, and the app runs on Node 22+ anyway.
  '@types/node': '22.20.5',
  // Runs Next and `convex dev` side by side for `npm run dev`.
  'npm-run-all2': '9.0.4',
  // The app's own backend tests.
  vitest: '5.1.1',
  // vitest's peer dependency, and convex/test.setup.ts reads its types (`vite/client`): yarn does not
  // install peers, and pnpm installs them out of the app's reach. Not 8.4.0: it adds an optional
  // dependency (napi-windows-process-start-time) that the registry may not serve, and yarn fails on it.
  vite: '8.3.8',
  'convex-test': '0.0.70',
  '@edge-runtime/vm': '5.0.0',
};

/**
 * Dependencies with install scripts, and whether the install may run them (pnpm's `allowBuilds`, bun's
 * `trustedDependencies`, yarn's `dependenciesMeta.built`). Found by installing the pinned set with pnpm,
 * which names every package whose script it blocked. esbuild (from convex) checks and links its binary
 * for the platform. sharp and unrs-resolver ship prebuilt binaries: create-next-app itself says false.
 */
export const dependencyBuilds: Record<string, boolean> = {
  esbuild: true,
  sharp: false,
  'unrs-resolver': false,
};

/**
 * The convex CLI's local backend for --no-account (`npx convex dev --local-backend-version`): the
 * binary a local anonymous deployment runs, the one the tests prove (the CLI otherwise takes the newest).
 * This is the first version the CLI 1.49 names (its control-plane auth), a known release.
 */
export const CONVEX_LOCAL_BACKEND_VERSION = 'precompiled-2026-09-15-4e9b83a';
