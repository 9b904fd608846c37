/**
 * Validates an access token the way the Convex backend does against auth.config's providers, and
 * names the exact mismatch when it fails. Used by `doctor` and by the Convex stand-in in tests.
 *
 * Convex's rules (customJwt): the token's `iss` must equal a provider's issuer (trailing slashes
 * trimmed on both sides); `aud` is checked only when that provider sets `applicationID`; the
 * signature must verify with the provider's JWKS using the provider's algorithm; it must not be expired.
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

export interface CustomJwtProvider {
  type: 'customJwt';
  issuer: string;
  jwks: string;
  algorithm: 'RS256' | 'ES256';
  applicationID?: string;
}

export type TokenProblem = 'malformed' | 'issuer' | 'audience' | 'kid' | 'signature' | 'algorithm' | 'expired' | 'jwks';

export type TokenCheck =
  | { ok: true; provider: CustomJwtProvider; claims: JWTPayload }
  | { ok: false; problem: TokenProblem; message: string; claims?: JWTPayload };

const trim = (s: string) => s.replace(/\/+$/, '');

export interface ValidateOptions {
  /** Resolve a provider's JWKS: doctor's one fetcher (systems/workos.ts), or a test's local key set. */
  jwks: (url: string) => Promise<JSONWebKeySet>;
  /** Seconds; default now. */
  now?: number;
}

export async function validateToken(token: string, providers: CustomJwtProvider[], opts: ValidateOptions): Promise<TokenCheck> {
  let claims: JWTPayload;
  let header: { alg?: string; kid?: string };
  try {
    claims = decodeJwt(token);
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, problem: 'malformed', message: 'The token is not a JWT.' };
  }
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const byIssuer = providers.filter((p) => trim(p.issuer) === trim(iss));
  if (byIssuer.length === 0) {
    return {
      ok: false,
      problem: 'issuer',
      claims,
      message: `No provider's issuer matches the token's iss "${iss}" (providers: ${providers.map((p) => `"${p.issuer}"`).join(', ') || 'none'}).`,
    };
  }
  const aud = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const byAudience = byIssuer.filter((p) => p.applicationID === undefined || aud.includes(p.applicationID));
  if (byAudience.length === 0) {
    return {
      ok: false,
      problem: 'audience',
      claims,
      message: `The token's aud ${JSON.stringify(claims.aud ?? null)} does not contain the applicationID "${byIssuer[0]!.applicationID}" of the provider for ${iss}.`,
    };
  }
  let last: TokenCheck | undefined;
  for (const provider of byAudience) {
    if (header.alg !== provider.algorithm) {
      last = { ok: false, problem: 'algorithm', claims, message: `The token is signed with ${header.alg}, the provider expects ${provider.algorithm}.` };
      continue;
    }
    let keys;
    try {
      keys = createLocalJWKSet(await opts.jwks(provider.jwks));
    } catch (error) {
      last = { ok: false, problem: 'jwks', claims, message: `Could not load the JWKS at ${provider.jwks}: ${(error as Error).message}` };
      continue;
    }
    try {
      await jwtVerify(token, keys, { algorithms: [provider.algorithm], currentDate: opts.now ? new Date(opts.now * 1000) : undefined });
      return { ok: true, provider, claims };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') {
        last = { ok: false, problem: 'expired', claims, message: `The token expired at ${new Date(Number(claims.exp) * 1000).toISOString()}.` };
      } else if (code === 'ERR_JWKS_NO_MATCHING_KEY') {
        last = { ok: false, problem: 'kid', claims, message: `The JWKS at ${provider.jwks} has no key with kid "${header.kid}" (a token from another client ID or environment?).` };
      } else if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC' || code === 'ERR_JWKS_INVALID') {
        last = { ok: false, problem: 'jwks', claims, message: `Could not load the JWKS at ${provider.jwks}: ${(error as Error).message}` };
      } else {
        last = { ok: false, problem: 'signature', claims, message: `The signature does not verify with the JWKS at ${provider.jwks}.` };
      }
    }
  }
  return last!;
}
