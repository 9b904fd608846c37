/**
 * Every check doctor runs, in the order they are shown: along the auth chain from the app's own
 * settings, through the Convex deployment and auth.config, to WorkOS. Each feature brings its checks
 * (src/features), stage by stage; every project runs them all, and a check for a feature the project
 * lacks says so (skipped).
 */
import { features } from '../features/index.js';
import { DOCTOR_STAGES } from '../features/types.js';
import type { Check } from './types.js';

export async function allChecks(): Promise<Check[]> {
  const byFeature = await Promise.all(features.map(async (f) => (await f.doctorChecks?.()) ?? {}));
  return DOCTOR_STAGES.flatMap((stage) => byFeature.flatMap((checks) => checks[stage] ?? []));
}
