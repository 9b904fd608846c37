/**
 * Every check doctor runs, in the order they are shown: along the auth chain from the app's own
 * settings, through the Convex deployment and auth.config, to WorkOS. Adding a check is one line.
 */
import { authConfigProviders, jwksServesKeys, tokenAccepted } from './checks/auth.js';
import { deploymentApiKey, deploymentClientId, deploymentReachable, deploymentWebhookSecret } from './checks/deployment.js';
import { localVar } from './checks/local-env.js';
import { versionsMatch } from './checks/versions.js';
import { redirectUriRegistered, webhookEndpoint, workosApiKey } from './checks/workos.js';
import type { Check } from './types.js';

export const checks: Check[] = [
  localVar('WORKOS_CLIENT_ID'),
  localVar('WORKOS_API_KEY'),
  localVar('WORKOS_COOKIE_PASSWORD'),
  localVar('NEXT_PUBLIC_WORKOS_REDIRECT_URI'),
  localVar('NEXT_PUBLIC_CONVEX_URL'),
  localVar('NEXT_PUBLIC_CONVEX_SITE_URL'),
  deploymentReachable,
  deploymentClientId,
  deploymentApiKey,
  deploymentWebhookSecret,
  authConfigProviders,
  jwksServesKeys,
  tokenAccepted,
  workosApiKey,
  redirectUriRegistered,
  webhookEndpoint,
  versionsMatch,
];
