/**
 * The whole product, in order. Each step is a small file taking the context; the pipeline
 * (../pipeline.ts) runs them, records each in the project manifest, and resumes after a failure.
 */
import type { Step } from '../context.js';
import { addShadcn } from './add-shadcn.js';
import { createApp } from './create-app.js';
import { initGit } from './init-git.js';
import { installDependencies } from './install-dependencies.js';
import { showNextSteps } from './next-steps.js';
import { notYetAvailable } from './not-yet-available.js';
import { useLocalFonts } from './use-local-fonts.js';

export const steps: Step[] = [
  notYetAvailable('verify-workos', 'Verify the WorkOS keys', 'check the API key and client ID with WorkOS'),
  createApp,
  installDependencies,
  addShadcn,
  useLocalFonts,
  notYetAvailable('provision-convex', 'Provision a Convex deployment', 'create a dev deployment without pushing'),
  notYetAvailable('configure-workos', 'Configure WorkOS', 'redirect URI, CORS origin, homepage, webhook endpoint'),
  notYetAvailable('deployment-env', 'Set the deployment environment', 'set every variable in one call'),
  notYetAvailable('templates', 'Write the auth, webhook and form files', 'render templates/'),
  notYetAvailable('push-convex', 'Push to Convex', 'convex dev --once'),
  initGit,
  showNextSteps,
];
