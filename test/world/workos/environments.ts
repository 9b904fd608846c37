/**
 * More environments beside staging and production, as a WorkOS team has: each with its own API key,
 * client ID and state (redirect URIs, CORS, homepage, webhooks, users). Convex-managed WorkOS makes
 * one per Convex deployment (test/world/convex/managed-workos.ts) through `addEnvironment`.
 */
import type { WorkOSContext } from './context.js';
import { newId, randomToken } from './ids.js';
import { productionContext } from './production.js';
import type { StandInState } from './types.js';

export interface AddedEnvironment {
  id: string;
  name: string;
  apiKey: string;
  clientId: string;
  production: boolean;
  state: StandInState;
}

/** A new environment signing with the stand-in's keys; `envs` (what requests are routed among) gets it. */
export function addEnvironment(staging: WorkOSContext, envs: WorkOSContext[], opts: { name?: string; production?: boolean } = {}): AddedEnvironment {
  const production = opts.production ?? false;
  const env = productionContext(staging, { apiKey: `${production ? 'sk_live_' : 'sk_test_'}${randomToken(18)}` });
  env.production = production;
  envs.push(env);
  return { id: newId('environment'), name: opts.name ?? (production ? 'Production' : 'Staging'), apiKey: env.apiKey, clientId: env.clientId, production, state: env.state };
}
