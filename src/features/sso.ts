/** "Sign in with SSO" on the sign-in page (the organization is found from the email's domain). */
import type { Feature } from './types.js';

export const feature: Feature = {
  id: 'sso',
  order: 20,
  option: { default: false, description: 'Add "Sign in with SSO" to the sign-in page', addDescription: 'Add SSO sign-in to an existing project' },
  rerun: ['templates'],
};
