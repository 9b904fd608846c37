/**
 * Logout redirects: WorkOS sends a signed-out user only to a `return_to` listed among the
 * environment's Logout redirects, which only the dashboard sets (no API). A test registers one as
 * the user would in the dashboard (`addLogoutUri`).
 */
import type { StandInState } from './types.js';

/** Why WorkOS would refuse this `return_to`, or undefined when it is listed (or absent). */
export function returnToProblem(state: Pick<StandInState, 'logoutUris'>, returnTo: string | undefined): string | undefined {
  if (returnTo === undefined || state.logoutUris.includes(returnTo)) return undefined;
  return `The return_to "${returnTo}" is not one of this environment's Logout redirects (WorkOS dashboard → Redirects).`;
}
