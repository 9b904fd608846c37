/** What every project has: AuthKit sign-in in Next.js, a Convex backend that trusts its tokens. */
import { randomBytes } from 'node:crypto';
import { ENV } from '../env-names.js';
import { appDependencies, appDevDependencies } from '../versions.js';
import type { Feature } from './types.js';

export const feature: Feature = {
  id: 'base',
  order: 0,
  dependencies: appDependencies,
  devDependencies: appDevDependencies,
  scripts: {
    dev: 'run-p --race dev:frontend dev:backend',
    'dev:frontend': 'next dev',
    'dev:backend': 'convex dev',
    test: 'vitest run',
  },
  vars: [
    { name: ENV.workosClientId, where: 'local', secret: false, value: (ctx) => ctx.options.workosClientId },
    { name: ENV.workosApiKey, where: 'local', secret: true, value: (ctx) => ctx.options.workosApiKey },
    // Made once and kept on reruns; 32 random bytes → 43 base64url characters (authkit-nextjs needs 32).
    {
      name: ENV.workosCookiePassword,
      where: 'local',
      secret: true,
      keepTheirs: true,
      value: (_ctx, current) => (current && current.length >= 32 ? current : randomBytes(32).toString('base64url')),
    },
    { name: ENV.redirectUri, where: 'local', secret: false, value: (ctx) => ctx.options.redirectUri },
    // auth.config.ts reads the client ID (only the webhooks feature's functions call WorkOS with the API key).
    { name: ENV.workosClientId, where: 'deployment', secret: false, value: (ctx) => ctx.options.workosClientId },
    // auth.config.ts trusts the tokens of a custom authentication domain when this is set (absent: left alone).
    { name: ENV.workosAuthDomain, where: 'deployment', secret: false, optional: true, value: (ctx) => ctx.options.workosAuthDomain },
  ],
  async doctorChecks() {
    const { authConfigProviders, jwksServesKeys, tokenAccepted } = await import('../doctor/checks/auth.js');
    const { deploymentClientId, deploymentReachable } = await import('../doctor/checks/deployment.js');
    const { deploymentAuthDomain } = await import('../doctor/checks/auth-domain.js');
    const { localVar } = await import('../doctor/checks/local-env.js');
    const { versionsMatch } = await import('../doctor/checks/versions.js');
    const { redirectUriRegistered, workosApiKey } = await import('../doctor/checks/workos.js');
    const { managedEnvironment } = await import('../doctor/checks/managed-workos.js');
    return {
      local: [localVar(ENV.workosClientId), localVar(ENV.workosApiKey), localVar(ENV.workosCookiePassword), localVar(ENV.redirectUri), localVar(ENV.convexUrl)],
      deployment: [deploymentReachable, deploymentClientId, deploymentAuthDomain],
      auth: [authConfigProviders, jwksServesKeys, tokenAccepted],
      workos: [managedEnvironment, workosApiKey, redirectUriRegistered],
      versions: [versionsMatch],
    };
  },
  rerun: [],
  // A project made before auth.config.ts read WORKOS_AUTH_DOMAIN gets the new file (and a push); the
  // deployment's variables are set on every run.
  settings: [{ option: 'workosAuthDomain', rerun: ['templates'] }],
};
