/**
 * Preview deployments (a hosting provider's branch deploys with a Convex preview deploy key): the
 * project's default variables for previews hold the WorkOS keys of a non-production environment, and
 * the preview build (scripts/preview-build.mjs) gives each preview its redirect URI and its own webhook
 * endpoint and secret, and removes those of previews that are gone. Steps: src/steps/previews/.
 */
import type { Feature } from './types.js';

export const feature: Feature = {
  id: 'previews',
  order: 30,
  option: {
    default: false,
    description: 'Set up preview deployments: WorkOS keys as the Convex preview defaults, and a build:preview script',
    addDescription: 'Set up preview deployments in an existing project (the dev WorkOS keys, or --workos-api-key/--workos-client-id of another non-production environment)',
  },
  // Adding it again sets the preview defaults again (to other keys, when given); the same keys change nothing.
  addAgainRepairs: true,
  // Escaped double quotes: the script runs in the shells of Windows too.
  scripts: { 'build:preview': 'convex deploy --cmd "node scripts/preview-build.mjs -- next build"' },
  rerun: ['templates', 'previews-defaults'],
};
