/**
 * The whole product, in order. Each step is a small file taking the context; the pipeline
 * (../pipeline.ts) runs them, records each in the project manifest, and resumes after a failure.
 *
 * The order is the point: Convex is provisioned without pushing, every variable is set in one call
 * (with the webhook secret, which needs the deployment's URL first), and only then is code pushed.
 * The install runs in the background meanwhile, and so does shadcn (it needs package.json, not
 * node_modules): nothing from provisioning to the templates needs the install; only the push (which
 * bundles and type-checks convex/ against the installed packages) and the first commit wait for it.
 */
import type { Step } from '../context.js';
import { addShadcn } from './add-shadcn.js';
import { checkConvexLogin } from './check-convex-login.js';
import { configureWorkos } from './configure-workos.js';
import { createApp } from './create-app.js';
import { initGit } from './init-git.js';
import { installDependencies } from './install-dependencies.js';
import { workosEnvironment } from './managed-workos/workos-environment.js';
import { workosTeam } from './managed-workos/workos-team.js';
import { showManagedWorkos } from './managed-workos/show-managed-workos.js';
import { showNextSteps } from './next-steps.js';
import { showNoAccount } from './no-account/show-no-account.js';
import { unclaimedWorkos } from './no-account/unclaimed-workos.js';
import { syncWorkosRoles } from './organizations/workos-roles.js';
import { setPreviewDefaults } from './previews/set-preview-defaults.js';
import { showPreviewSetup } from './previews/show-preview-setup.js';
import { takePreviewKeys } from './previews/take-preview-keys.js';
import { configureProductionWorkos } from './production/configure-workos.js';
import { provisionProduction } from './production/convex-deployment.js';
import { createProductionDeployKey } from './production/deploy-key.js';
import { deployProduction } from './production/deploy.js';
import { setProductionEnv } from './production/deployment-env.js';
import { writeHosting } from './production/hosting.js';
import { setVercelEnv } from './production/vercel-env.js';
import { verifyProductionKeys } from './production/verify-keys.js';
import { registerProductionWebhook } from './production/webhook.js';
import { provisionConvex } from './provision-convex.js';
import { pushConvex } from './push-convex.js';
import { writeTemplates } from './render-templates.js';
import { setDeploymentEnv } from './set-deployment-env.js';
import { verifyWorkos } from './verify-workos.js';
import { writeLocalEnv } from './write-local-env.js';

export const steps: Step[] = [
  takePreviewKeys,
  verifyWorkos,
  checkConvexLogin,
  workosTeam,
  createApp,
  installDependencies,
  addShadcn,
  provisionConvex,
  workosEnvironment,
  unclaimedWorkos,
  writeLocalEnv,
  configureWorkos,
  setDeploymentEnv,
  setPreviewDefaults,
  writeTemplates,
  pushConvex,
  syncWorkosRoles,
  // --add-production, in a finished project: the same order as dev (deployment, WorkOS, variables, then code).
  verifyProductionKeys,
  provisionProduction,
  configureProductionWorkos,
  registerProductionWebhook,
  setProductionEnv,
  deployProduction,
  createProductionDeployKey,
  writeHosting,
  setVercelEnv,
  initGit,
  showNextSteps,
  showManagedWorkos,
  showNoAccount,
  showPreviewSetup,
];
