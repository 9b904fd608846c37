/** The WorkOS stand-in's wire types (what the API sends), its state, options and handle. */
import type { Fault, FaultMatch } from '../faults.js';
import type { GrantFault } from './grant-faults.js';

export interface User {
  object: 'user';
  id: string;
  email: string;
  email_verified: boolean;
  /** First and last name together, as the API's `UserResponse` has it (null when neither is known). */
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  profile_picture_url: string | null;
  last_sign_in_at: string | null;
  locale: string | null;
  /** Absent when unset: `UserResponse` types it `external_id?: string` (no null, unlike organizations). */
  external_id?: string;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface OrganizationDomain {
  object: 'organization_domain';
  id: string;
  domain: string;
  organization_id: string;
  state: 'verified' | 'pending';
  verification_strategy: 'manual' | 'dns';
  created_at: string;
  updated_at: string;
}

export interface Org {
  object: 'organization';
  id: string;
  name: string;
  allow_profiles_outside_organization: boolean;
  domains: OrganizationDomain[];
  external_id: string | null;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
}
export type Organization = Org;

/** An organization's SSO connection (sign-in-providers.ts); the API's `ConnectionResponse`, in part. */
export interface Connection {
  object: 'connection';
  id: string;
  organization_id: string;
  connection_type: string;
  name: string;
  state: 'active' | 'inactive';
  created_at: string;
  updated_at: string;
}

export interface Membership {
  object: 'organization_membership';
  id: string;
  user_id: string;
  organization_id: string;
  organization_name: string;
  status: 'active' | 'inactive' | 'pending';
  role: { slug: string };
  roles?: Array<{ slug: string }>;
  directory_managed: boolean;
  custom_attributes: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** `EventResponseBase` of the SDK: no `object` tag (unlike users, organizations and lists). */
export interface Event {
  id: string;
  event: string;
  data: unknown;
  created_at: string;
  context: Record<string, unknown>;
}

export interface WebhookEndpoint {
  object: 'webhook_endpoint';
  id: string;
  endpoint_url: string;
  secret: string;
  status: 'enabled' | 'disabled';
  events: string[];
  created_at: string;
  updated_at: string;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  auth?: 'ok' | 'bad' | 'none';
  /** Set for requests to the production environment (production.ts). */
  environment?: 'production';
}

export interface StandInState {
  webhookEndpoints: WebhookEndpoint[];
  redirectUris: string[];
  /** Logout redirects: set in the dashboard only (logout-uris.ts); a logout's return_to must be one. */
  logoutUris: string[];
  corsOrigins: string[];
  homepageUrl?: string;
  users: User[];
  organizations: Org[];
  memberships: Membership[];
  /** SSO connections: seeded by tests (addConnection), as an admin sets them up in the dashboard. */
  connections: Connection[];
  magicCodes: Array<{ email: string; code: string; id: string; user_id: string; expires_at: string; used: boolean }>;
  events: Event[];
}

export interface AccessTokenClaims {
  sub: string;
  sid?: string;
  org_id?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
  kid?: string;
  /** Extra claims merged into the payload. */
  extra?: Record<string, unknown>;
}

export interface StandInOptions {
  apiKey?: string;
  clientId?: string;
  /** Lifetime of access tokens minted by /user_management/authenticate (default 300). */
  accessTokenTtlSeconds?: number;
  /** 'user_management' (default): iss = https://api.workos.com/user_management/<clientId>, no aud.
   *  'legacy': iss = https://api.workos.com/, aud = clientId. */
  issuerStyle?: 'user_management' | 'legacy';
  /** A custom authentication domain (e.g. auth.example.test): tokens carry its issuer (custom-domain.ts). */
  authDomain?: string;
  /** Hosted sign-in signs this email in without showing the form. */
  autoSignInEmail?: string;
  /** Accept any redirect_uri at /user_management/authorize even if never registered (default false:
   *  like the real API, an unregistered redirect URI is refused). */
  allowUnregisteredRedirectUris?: boolean;
  /** Status for a duplicate CORS origin (default 409 with code duplicate_cors_origin). */
  corsDuplicateStatus?: 409 | 422;
  /** Answer 422 to PUT app_homepage_url with a localhost / 127.0.0.1 URL (default false). */
  homepageRejectsLocalhost?: boolean;
  /** Include `secret` in webhook endpoint list / update answers (default false: only the create
   *  answer carries it, which forces callers to keep the secret from the create call). */
  revealWebhookSecretsInList?: boolean;
  /** Keys of the production environment (default: a new `sk_live_` key and client ID). */
  production?: { apiKey?: string; clientId?: string };
}

export interface WorkOSStandIn {
  origin: string;
  hostname: string;
  port: number;
  apiKey: string;
  clientId: string;
  /** Settable at runtime: hosted sign-in signs this email in without a form. */
  autoSignInEmail: string | undefined;
  sdkEnv(): Record<string, string>;
  state: StandInState;
  /** The production environment: its own keys and state (redirect URIs, CORS, webhooks…). */
  production: {
    apiKey: string;
    clientId: string;
    state: StandInState;
    /** The production environment's own custom authentication domain (where WorkOS offers them). */
    setAuthDomain(domain: string | undefined): void;
  };
  requests: RequestRecord[];
  /** Environments added with addEnvironment (e.g. by Convex-managed WorkOS), in order. */
  environments: import('./environments.js').AddedEnvironment[];
  /** Unclaimed environments made without a key, as the `workos` CLI makes them (one-shot-environments.ts). */
  oneShot: import('./one-shot-environments.js').OneShot;
  /** A new environment with its own keys and state (environments.ts). */
  addEnvironment(opts?: { name?: string; production?: boolean }): import('./environments.js').AddedEnvironment;
  fail(match: FaultMatch, fault: Fault): void;
  /** Refuses the next `fault.times` authenticate calls of this grant type (grant-faults.ts); cleared by clearFaults. */
  failGrant(grantType: string, fault?: GrantFault): GrantFault;
  /** When on, a sign-in by a member of several organizations answers organization_selection_required. */
  requireOrganizationSelection(on: boolean): void;
  clearFaults(): void;
  addUser(u: Partial<User> & { email: string }): User;
  addOrganization(o: Partial<Omit<Org, 'domains'>> & { name: string; domains?: string[] }): Org;
  addMembership(m: { user_id: string; organization_id: string; role?: string; status?: Membership['status']; id?: string }): Membership;
  /** Records an event in state.events (what GET /events lists). */
  /** An SSO connection for an organization, as its admin sets one up (sign-in-providers.ts). */
  addConnection(c: { organization_id: string; name?: string; connection_type?: string; state?: Connection['state']; id?: string }): Connection;
  recordEvent(event: string, data: unknown): Event;
  signAccessToken(claims: AccessTokenClaims): Promise<string>;
  jwksUrl: string;
  /** Issuer string this stand-in puts in access tokens (its custom domain's, while it has one). */
  readonly issuer: string;
  /** Adds a Logout redirect, as a user does in the WorkOS dashboard (no API sets one). */
  addLogoutUri(uri: string): void;
  /** Sets or removes the custom authentication domain, as the WorkOS dashboard does (custom-domain.ts). */
  setAuthDomain(domain: string | undefined): void;
  /** The client ID of a public JWKS URL of this environment (api.workos.com or its custom domain), else undefined. */
  jwksClientOf(url: string): string | undefined;
  deliverWebhook(
    url: string,
    event: { event: string; data: unknown; id?: string; created_at?: string },
    opts?: { secret?: string; timestampMs?: number; tamper?: boolean },
  ): Promise<Response>;
  close(): Promise<void>;
}
