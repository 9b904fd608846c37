/**
 * How the Convex stand-in decides whether a user's token is accepted: written from Convex's documented
 * rules for `customJwt` providers (docs: auth/advanced/custom-jwt, config/auth.config.ts), sharing no
 * code with the product's own validator (src/auth/validate-token.ts, which doctor uses). The browser
 * test compares the two verdicts: a wrong rule on one side shows up as a disagreement.
 *
 * The rules: the header has `kid`, `alg` and `typ`; the payload has `sub`, `iss` and `exp`; `iss`
 * names a provider's issuer (trailing slashes aside); where the provider sets `applicationID`, `aud`
 * must contain it; the signature verifies with a key of the provider's JWKS (URL or `data:` URL) under
 * the provider's algorithm (RS256 or ES256); the token is not expired.
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { CustomJwtProvider } from './types.js';

export type Verdict =
  | { ok: true; claims: JWTPayload }
  | { ok: false; problem: string; message: string; claims?: JWTPayload };

const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** A JWKS given inline, as `data:application/json;base64,…` or `data:text/plain;charset=utf-8,…`. */
function dataUrlKeys(url: string): JSONWebKeySet {
  const comma = url.indexOf(',');
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  const text = meta.endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
  return JSON.parse(text) as JSONWebKeySet;
}

export async function judgeToken(
  token: string,
  providers: CustomJwtProvider[],
  fetchJwks: (url: string) => Promise<JSONWebKeySet>,
  /** The judge's clock (default: now); a test may set it ahead, as a deployment's clock can be. */
  currentDate?: Date,
): Promise<Verdict> {
  let header: Record<string, unknown>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
    claims = decodeJwt(token);
  } catch {
    return { ok: false, problem: 'malformed', message: 'not a JWT' };
  }
  const missingHeader = ['kid', 'alg', 'typ'].filter((f) => typeof header[f] !== 'string');
  const missingClaims = ['sub', 'iss', 'exp'].filter((f) => claims[f] === undefined);
  if (missingHeader.length || missingClaims.length) {
    return { ok: false, problem: 'malformed', claims, message: `missing ${[...missingHeader.map((f) => `header ${f}`), ...missingClaims].join(', ')}` };
  }
  const candidates = providers.filter((p) => p.type === 'customJwt' && sameIssuer(p.issuer, String(claims.iss)));
  if (candidates.length === 0) return { ok: false, problem: 'issuer', claims, message: `no provider for issuer ${String(claims.iss)}` };

  let refusal: Verdict = { ok: false, problem: 'audience', claims, message: 'no provider accepts the token' };
  for (const p of candidates) {
    try {
      const keys = p.jwks.startsWith('data:') ? dataUrlKeys(p.jwks) : await fetchJwks(p.jwks);
      await jwtVerify(token, createLocalJWKSet(keys), {
        algorithms: [p.algorithm ?? 'RS256'],
        ...(currentDate ? { currentDate } : {}),
        ...(p.applicationID !== undefined ? { audience: p.applicationID } : {}),
      });
      return { ok: true, claims };
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      const problem =
        code === 'ERR_JWT_EXPIRED' ? 'expired'
        : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? 'audience'
        : code === 'ERR_JOSE_ALG_NOT_ALLOWED' ? 'algorithm'
        : code === 'ERR_JWKS_NO_MATCHING_KEY' ? 'kid'
        : code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'signature'
        : 'jwks';
      refusal = { ok: false, problem, claims, message: `${p.issuer}: ${(error as Error).message}` };
    }
  }
  return refusal;
}
