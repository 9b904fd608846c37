/**
 * Who signs a person in when /user_management/authorize is asked for more than AuthKit's hosted page:
 *  - `provider=GoogleOAuth` (and the other OAuth providers): a page standing in for Google's account
 *    chooser; the session's method is the provider's;
 *  - `connection_id`, or `organization_id` of an organization with an active SSO connection: a page
 *    standing in for that connection's identity provider. It knows only the organization's domains'
 *    people; signing in makes them members of the organization (WorkOS's just-in-time provisioning)
 *    and puts the organization in the session.
 * An organization without an SSO connection keeps the hosted page (the organization goes in the session).
 */
import { newId, nowIso } from './ids.js';
import { addMembership } from './records.js';
import type { Connection, Org, StandInState } from './types.js';

const OAUTH_PROVIDERS: Record<string, string> = {
  GoogleOAuth: 'Google',
  MicrosoftOAuth: 'Microsoft',
  GitHubOAuth: 'GitHub',
  AppleOAuth: 'Apple',
};

export type SignInProvider =
  | { kind: 'authkit' }
  | { kind: 'oauth'; authMethod: string; heading: string }
  | { kind: 'sso'; connection: Connection; org: Org; heading: string };

/** Which page answers these authorize parameters, or why none does. */
export function providerOf(state: StandInState, params: Record<string, string>): SignInProvider | { error: string } {
  const provider = params.provider;
  if (provider && provider !== 'authkit') {
    const name = OAUTH_PROVIDERS[provider];
    return name ? { kind: 'oauth', authMethod: provider, heading: `Sign in with ${name}` } : { error: 'Invalid provider.' };
  }
  let connection: Connection | undefined;
  if (params.connection_id) {
    connection = state.connections.find((c) => c.id === params.connection_id);
    if (!connection || connection.state !== 'active') return { error: 'Invalid connection ID.' };
  } else if (params.organization_id) {
    connection = state.connections.find((c) => c.organization_id === params.organization_id && c.state === 'active');
  }
  if (!connection) return { kind: 'authkit' };
  const org = state.organizations.find((o) => o.id === connection.organization_id);
  if (!org) return { error: 'Invalid organization ID.' };
  return { kind: 'sso', connection, org, heading: `${connection.name}: single sign-on for ${org.name}` };
}

/** The identity provider's check: it knows only the people of the organization's domains. */
export function ssoRefusal(org: Org, email: string): string | undefined {
  const domain = email.split('@')[1]?.toLowerCase();
  return org.domains.some((d) => d.domain === domain) ? undefined : `${email} has no account at this identity provider.`;
}

/** Just-in-time provisioning: a person signed in through the organization's SSO becomes its member. */
export function ensureMembership(state: StandInState, org: Org, userId: string): void {
  if (!state.memberships.some((m) => m.user_id === userId && m.organization_id === org.id))
    addMembership(state, { user_id: userId, organization_id: org.id });
}

export function addConnection(
  state: StandInState,
  c: { organization_id: string; name?: string; connection_type?: string; state?: Connection['state']; id?: string },
): Connection {
  if (!state.organizations.some((o) => o.id === c.organization_id)) throw new Error(`stand-in: no organization ${c.organization_id}`);
  const ts = nowIso();
  const connection: Connection = {
    object: 'connection',
    id: c.id ?? newId('conn'),
    organization_id: c.organization_id,
    connection_type: c.connection_type ?? 'GenericSAML',
    name: c.name ?? 'SAML',
    state: c.state ?? 'active',
    created_at: ts,
    updated_at: ts,
  };
  state.connections.push(connection);
  return connection;
}
