/** Adding users, organizations, memberships and events to the stand-in's state (seeding and API alike). */
import { newId, nowIso } from './ids.js';
import type { Event, Membership, Org, StandInState, User } from './types.js';

export function recordEvent(state: StandInState, event: string, data: unknown): Event {
  const e: Event = { id: newId('event'), event, data, created_at: nowIso(), context: {} };
  state.events.push(e);
  return e;
}

export function addUser(state: StandInState, u: Partial<User> & { email: string }): User {
  const email = u.email.toLowerCase();
  if (state.users.some((x) => x.email === email)) throw new Error(`stand-in: user ${email} already exists`);
  const ts = nowIso();
  const user: User = {
    object: 'user',
    id: u.id ?? newId('user'),
    email,
    email_verified: u.email_verified ?? true,
    name: u.name !== undefined ? u.name : [u.first_name, u.last_name].filter(Boolean).join(' ') || null,
    first_name: u.first_name ?? null,
    last_name: u.last_name ?? null,
    profile_picture_url: u.profile_picture_url ?? null,
    last_sign_in_at: u.last_sign_in_at ?? null,
    locale: u.locale ?? null,
    ...(u.external_id ? { external_id: u.external_id } : {}),
    metadata: u.metadata ?? {},
    created_at: u.created_at ?? ts,
    updated_at: u.updated_at ?? ts,
  };
  state.users.push(user);
  recordEvent(state, 'user.created', user);
  return user;
}

export function addOrganization(state: StandInState, o: Partial<Omit<Org, 'domains'>> & { name: string; domains?: string[] }): Org {
  const ts = nowIso();
  const id = o.id ?? newId('org');
  const org: Org = {
    object: 'organization',
    id,
    name: o.name,
    allow_profiles_outside_organization: o.allow_profiles_outside_organization ?? false,
    domains: (o.domains ?? []).map((domain) => ({
      object: 'organization_domain',
      id: newId('org_domain'),
      domain,
      organization_id: id,
      state: 'verified',
      verification_strategy: 'manual',
      created_at: ts,
      updated_at: ts,
    })),
    external_id: o.external_id ?? null,
    metadata: o.metadata ?? {},
    created_at: o.created_at ?? ts,
    updated_at: o.updated_at ?? ts,
  };
  state.organizations.push(org);
  recordEvent(state, 'organization.created', org);
  return org;
}

export function addMembership(state: StandInState, m: {
  user_id: string;
  organization_id: string;
  role?: string;
  status?: Membership['status'];
  id?: string;
}): Membership {
  const org = state.organizations.find((o) => o.id === m.organization_id);
  if (!org) throw new Error(`stand-in: no organization ${m.organization_id}`);
  if (!state.users.some((u) => u.id === m.user_id)) throw new Error(`stand-in: no user ${m.user_id}`);
  const ts = nowIso();
  const slug = m.role ?? 'member';
  const membership: Membership = {
    object: 'organization_membership',
    id: m.id ?? newId('om'),
    user_id: m.user_id,
    organization_id: m.organization_id,
    organization_name: org.name,
    status: m.status ?? 'active',
    role: { slug },
    roles: [{ slug }],
    directory_managed: false,
    custom_attributes: {},
    created_at: ts,
    updated_at: ts,
  };
  state.memberships.push(membership);
  recordEvent(state, 'organization_membership.created', membership);
  return membership;
}

export function findOrCreateUserByEmail(state: StandInState, email: string): User {
  const e = email.trim().toLowerCase();
  return state.users.find((u) => u.email === e) ?? addUser(state, { email: e });
}
