/** What every part of the WorkOS stand-in shares: its settings, keys, state and sign-in bookkeeping. */
import type { GenerateKeyPairResult, JWK } from 'jose';
import type { GrantFaults } from './grant-faults.js';
import type { StandInOptions, StandInState } from './types.js';

export interface Session {
  id: string;
  userId: string;
  orgId?: string;
  authMethod: string;
  revoked: boolean;
}

export interface AuthCode {
  code: string;
  userId: string;
  redirectUri: string;
  orgId?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
  used: boolean;
  authMethod: string;
}

export interface WorkOSContext {
  opts: StandInOptions;
  apiKey: string;
  clientId: string;
  issuer: string;
  issuerStyle: 'user_management' | 'legacy';
  /** A custom authentication domain (custom-domain.ts); it changes `issuer`. */
  authDomain?: string;
  /** Access token lifetime in seconds. */
  ttl: number;
  kid: string;
  privateKey: GenerateKeyPairResult['privateKey'];
  publicJwk: JWK;
  state: StandInState;
  /** The production environment (sk_live_ key): see production.ts. */
  production?: boolean;
  codes: Map<string, AuthCode>;
  sessions: Map<string, Session>;
  refreshTokens: Map<string, { sessionId: string; used: boolean }>;
  /** Sign-ins of members of several organizations must pick one (organization-selection.ts). */
  requireOrganizationSelection?: boolean;
  /** Refusals a test asked for, per grant type. */
  grantFaults?: GrantFaults;
  /** Read at each sign-in: a test may set it on the stand-in while it runs. */
  autoSignInEmail(): string | undefined;
}

/** A route's answer; undefined from a route module means "not my path". */
export type Out = { status: number; body: unknown };
export const ok = (body: unknown, status = 200): Out => ({ status, body });

/** A management API request as the routes see it (body already parsed to an object). */
export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
}
