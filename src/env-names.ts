/**
 * The one table of the variable names this tool reads and writes: the app's .env.local, the Convex
 * deployment, and where the WorkOS API is. (Templates keep their literal names: they are the app's code.)
 */
export const ENV = {
  workosApiKey: 'WORKOS_API_KEY',
  workosClientId: 'WORKOS_CLIENT_ID',
  workosWebhookSecret: 'WORKOS_WEBHOOK_SECRET',
  workosCookiePassword: 'WORKOS_COOKIE_PASSWORD',
  redirectUri: 'NEXT_PUBLIC_WORKOS_REDIRECT_URI',
  convexUrl: 'NEXT_PUBLIC_CONVEX_URL',
  convexSiteUrl: 'NEXT_PUBLIC_CONVEX_SITE_URL',
  convexDeployment: 'CONVEX_DEPLOYMENT',
  convexSelfHostedUrl: 'CONVEX_SELF_HOSTED_URL',
  convexSelfHostedAdminKey: 'CONVEX_SELF_HOSTED_ADMIN_KEY',
  timeout: 'CREATE_AUTHKIT_CONVEX_TIMEOUT',
  workosAuthDomain: 'WORKOS_AUTH_DOMAIN',
  convexDeployKey: 'CONVEX_DEPLOY_KEY',
} as const;

/** Where the WorkOS API is (read by the SDK and authkit-nextjs alike). */
export const WORKOS_HOST_VARS = ['WORKOS_API_HOSTNAME', 'WORKOS_API_PORT', 'WORKOS_API_HTTPS'] as const;

/** --no-account: the claim token of the unclaimed WorkOS environment (`.env.local` only; `claim` reads it). */
export const WORKOS_CLAIM_TOKEN = 'WORKOS_CLAIM_TOKEN';
