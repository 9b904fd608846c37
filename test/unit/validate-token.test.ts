import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateToken, type CustomJwtProvider } from '../../src/auth/validate-token.js';

const clientId = 'client_01VALIDATE';
const jwksUrl = `https://api.workos.com/sso/jwks/${clientId}`;
const providers: CustomJwtProvider[] = [
  { type: 'customJwt', issuer: 'https://api.workos.com/', algorithm: 'RS256', jwks: jwksUrl, applicationID: clientId },
  { type: 'customJwt', issuer: `https://api.workos.com/user_management/${clientId}`, algorithm: 'RS256', jwks: jwksUrl },
];
let jwks: JSONWebKeySet;
let sign: (claims: Record<string, unknown>, opts?: { kid?: string; exp?: number; alg?: string }) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  sign = (claims, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 300)
      .sign(privateKey);
});

const check = (token: string) => validateToken(token, providers, { jwks: async () => jwks });

describe('validateToken (Convex rules)', () => {
  it('accepts the user_management issuer without aud', async () => {
    const r = await check(await sign({ iss: `https://api.workos.com/user_management/${clientId}`, sub: 'user_1' }));
    expect(r.ok).toBe(true);
  });

  it('accepts the legacy issuer with aud = client ID, trailing slashes trimmed', async () => {
    const r = await check(await sign({ iss: 'https://api.workos.com', aud: clientId, sub: 'user_1' }));
    expect(r).toMatchObject({ ok: true, provider: { issuer: 'https://api.workos.com/' } });
  });

  it('names an issuer mismatch', async () => {
    const r = await check(await sign({ iss: 'https://api.workos.com/user_management/client_OTHER', sub: 'u' }));
    expect(r).toMatchObject({ ok: false, problem: 'issuer' });
  });

  it('checks aud only where applicationID is set', async () => {
    const r = await check(await sign({ iss: 'https://api.workos.com/', aud: 'client_OTHER', sub: 'u' }));
    expect(r).toMatchObject({ ok: false, problem: 'audience' });
  });

  it('names an unknown kid, a bad signature and an expired token', async () => {
    expect(await check(await sign({ iss: providers[1]!.issuer }, { kid: 'nope' }))).toMatchObject({ ok: false, problem: 'kid' });
    const good = await sign({ iss: providers[1]!.issuer });
    const [h, p] = good.split('.');
    expect(await check(`${h}.${p}.${'A'.repeat(342)}`)).toMatchObject({ ok: false, problem: 'signature' });
    const expired = await sign({ iss: providers[1]!.issuer }, { exp: Math.floor(Date.now() / 1000) - 60 });
    expect(await check(expired)).toMatchObject({ ok: false, problem: 'expired' });
    expect(await check('not.a.jwt')).toMatchObject({ ok: false, problem: 'malformed' });
  });
});
