/** The Convex stand-in's own token judge, rule by rule (Convex's documented customJwt rules). */
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeToken } from './token-judge.js';
import type { CustomJwtProvider } from './types.js';

const ISS = 'https://auth.example.test/user_management/client_1';
const JWKS_URL = 'https://auth.example.test/sso/jwks/client_1';
let keys: JSONWebKeySet;
let sign: (claims: JWTPayload, header?: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  sign = (claims, header = {}) =>
    new SignJWT({ sub: 'user_1', iss: ISS, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT', ...header })
      .setIssuedAt()
      .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '5m')
      .sign(privateKey);
});

const provider = (p: Partial<CustomJwtProvider> = {}): CustomJwtProvider => ({ type: 'customJwt', issuer: ISS, jwks: JWKS_URL, algorithm: 'RS256', ...p });
const judge = (token: string, providers: CustomJwtProvider[]) =>
  judgeToken(token, providers, async (url) => {
    if (url !== JWKS_URL) throw new Error(`unknown JWKS ${url}`);
    return keys;
  });

describe("the Convex stand-in's token judge", () => {
  it('accepts a token whose issuer, signature and expiry are right (no aud needed without applicationID)', async () => {
    expect(await judge(await sign({}), [provider()])).toMatchObject({ ok: true });
  });

  it('compares issuers without trailing slashes', async () => {
    expect(await judge(await sign({ iss: `${ISS}/` }), [provider()])).toMatchObject({ ok: true });
  });

  it('refuses an issuer no provider names', async () => {
    expect(await judge(await sign({ iss: 'https://elsewhere.test' }), [provider()])).toMatchObject({ ok: false, problem: 'issuer' });
  });

  it('checks aud only where the provider sets applicationID', async () => {
    expect(await judge(await sign({}), [provider({ applicationID: 'client_1' })])).toMatchObject({ ok: false, problem: 'audience' });
    expect(await judge(await sign({ aud: 'client_1' }), [provider({ applicationID: 'client_1' })])).toMatchObject({ ok: true });
    expect(await judge(await sign({ aud: ['other', 'client_1'] }), [provider({ applicationID: 'client_1' })])).toMatchObject({ ok: true });
  });

  it("refuses an expired token, a foreign key id, and an algorithm the provider does not name", async () => {
    expect(await judge(await sign({ exp: Math.floor(Date.now() / 1000) - 60 }), [provider()])).toMatchObject({ ok: false, problem: 'expired' });
    expect(await judge(await sign({}, { kid: 'other' }), [provider()])).toMatchObject({ ok: false, problem: 'kid' });
    expect(await judge(await sign({}), [provider({ algorithm: 'ES256' })])).toMatchObject({ ok: false, problem: 'algorithm' });
  });

  it('requires the header fields kid, alg, typ and the claims sub, iss, exp', async () => {
    expect(await judge(await sign({}, { typ: undefined }), [provider()])).toMatchObject({ ok: false, problem: 'malformed', message: expect.stringContaining('typ') });
    expect(await judge(await sign({ sub: undefined }), [provider()])).toMatchObject({ ok: false, problem: 'malformed', message: expect.stringContaining('sub') });
    expect(await judge('not.a.jwt', [provider()])).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('reads a JWKS given as a data: URL', async () => {
    const inline = `data:application/json;base64,${Buffer.from(JSON.stringify(keys)).toString('base64')}`;
    expect(await judgeToken(await sign({}), [provider({ jwks: inline })], async () => { throw new Error('not fetched'); })).toMatchObject({ ok: true });
  });

  it('tries each provider of the issuer: a second one with the right applicationID accepts', async () => {
    const token = await sign({ aud: 'client_2' });
    expect(await judge(token, [provider({ applicationID: 'client_1' }), provider({ applicationID: 'client_2' })])).toMatchObject({ ok: true });
  });
});
