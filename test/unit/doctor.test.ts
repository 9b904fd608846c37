/** doctor's pure parts: evaluating auth.config, comparing providers, reading WorkOS's sign-in answer. */
import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { describe, expect, it } from 'vitest';
import { compareProviders, evaluateAuthConfig } from '../../src/doctor/auth-config.js';
import { classifyAuthorizeAnswer } from '../../src/doctor/checks/workos.js';
import { reachableWorkosUrl } from '../../src/systems/workos.js';
import { repoRoot } from '../helpers/cli.js';

const clientId = 'client_01UNITTEST0000';
const legacy = { type: 'customJwt', issuer: 'https://api.workos.com/', algorithm: 'RS256', jwks: `https://api.workos.com/sso/jwks/${clientId}`, applicationID: clientId };
const um = { type: 'customJwt', issuer: `https://api.workos.com/user_management/${clientId}`, algorithm: 'RS256', jwks: `https://api.workos.com/sso/jwks/${clientId}` };

/** A project folder with the template's auth.config.ts and this repo's node_modules (convex → esbuild). */
async function project(authConfig?: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cak-doctor-'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  await fs.writeJson(path.join(dir, 'package.json'), { name: 'p', dependencies: { convex: '1.49.0' } });
  const text = authConfig ?? (await fs.readFile(path.join(repoRoot, 'templates/base/convex/auth.config.ts'), 'utf8'));
  await fs.outputFile(path.join(dir, 'convex/auth.config.ts'), text);
  return dir;
}

describe('evaluateAuthConfig', () => {
  it("evaluates the template with the deployment's variables: the two WorkOS providers, nothing missing", async () => {
    const config = await evaluateAuthConfig(await project(), { WORKOS_CLIENT_ID: clientId });
    expect(config.file).toBe(path.join('convex', 'auth.config.ts'));
    expect(config.missingEnv).toEqual([]);
    expect(config.providers).toEqual([legacy, um]);
    expect(config.customJwt.map((p) => p.issuer)).toEqual([legacy.issuer, um.issuer]);
    expect(compareProviders(config.providers, clientId)).toEqual([]);
  });

  it("sees only the given variables, never doctor's own process.env, and records what is missing", async () => {
    process.env.WORKOS_CLIENT_ID = 'client_01FROMTHESHELL00';
    try {
      const config = await evaluateAuthConfig(await project(), {});
      expect(config.missingEnv).toEqual(['WORKOS_CLIENT_ID']);
      expect(config.customJwt[1]!.issuer).toBe('https://api.workos.com/user_management/undefined');
    } finally {
      delete process.env.WORKOS_CLIENT_ID;
    }
  });

  it('trusts the custom authentication domain named by WORKOS_AUTH_DOMAIN, and pushes unchanged without it', async () => {
    const domain = 'auth.example.test';
    const custom = { type: 'customJwt', issuer: `https://${domain}/user_management/${clientId}`, algorithm: 'RS256', jwks: `https://${domain}/sso/jwks/${clientId}` };
    const dir = await project();
    const withDomain = await evaluateAuthConfig(dir, { WORKOS_CLIENT_ID: clientId, WORKOS_AUTH_DOMAIN: domain });
    expect(withDomain.missingEnv).toEqual([]);
    expect(withDomain.providers).toEqual([legacy, um, custom]);
    expect(compareProviders(withDomain.providers, clientId, undefined, domain)).toEqual([]);
    // Without it, Convex would throw on the read; the template catches it, so nothing is missing.
    const without = await evaluateAuthConfig(dir, { WORKOS_CLIENT_ID: clientId });
    expect(without.missingEnv).toEqual([]);
    expect(without.providers).toEqual([legacy, um]);
    // The deployment names a domain the file does not trust (a file from before): the fix says how.
    const [problem, ...rest] = compareProviders(without.providers, clientId, undefined, domain);
    expect(rest).toEqual([]);
    expect(problem!.cause).toContain(custom.issuer);
    expect(problem!.fix).toContain(`--workos-auth-domain ${domain}`);
  });

  it('counts an uncaught read of an unset variable as missing, as Convex refuses that push', async () => {
    const dir = await project('const d = process.env.WORKOS_AUTH_DOMAIN;\nexport default { providers: [{ type: "customJwt", issuer: `https://${d}/`, jwks: "x", algorithm: "RS256" }] };\n');
    const config = await evaluateAuthConfig(dir, {});
    expect(config.missingEnv).toEqual(['WORKOS_AUTH_DOMAIN']);
    expect(config.customJwt[0]!.issuer).toBe('https://undefined/');
  });

  it('bundles relative imports, and reports a file without providers', async () => {
    const dir = await project('import { issuer } from "./issuer";\nexport default { providers: [{ type: "customJwt", issuer, jwks: "x", algorithm: "RS256" }] };\n');
    await fs.outputFile(path.join(dir, 'convex/issuer.ts'), 'export const issuer: string = "https://api.workos.com/";\n');
    expect((await evaluateAuthConfig(dir, {})).customJwt[0]!.issuer).toBe('https://api.workos.com/');
    await fs.outputFile(path.join(dir, 'convex/auth.config.ts'), 'export default { nothing: true };\n');
    await expect(evaluateAuthConfig(dir, {})).rejects.toThrow(/providers array/);
  });
});

describe('compareProviders', () => {
  const only = (providers: Array<Record<string, unknown>>) => compareProviders(providers, clientId);

  it('pairs a typo with the issuer it should be', () => {
    const [problem, ...rest] = only([legacy, { ...um, issuer: `https://api.workos.com/user_managment/${clientId}` }]);
    expect(rest).toEqual([]);
    expect(problem!.severity).toBe('fail');
    expect(problem!.fix).toContain(`change the issuer "https://api.workos.com/user_managment/${clientId}" to "${um.issuer}"`);
  });

  it('asks to add a missing provider, with its full text', () => {
    const [problem] = only([um]);
    expect(problem!.fix).toContain(`add { type: "customJwt", issuer: "https://api.workos.com/", algorithm: "RS256", jwks: "${legacy.jwks}", applicationID: "${clientId}" }`);
  });

  it('treats trailing slashes as Convex does', () => {
    expect(only([{ ...legacy, issuer: 'https://api.workos.com' }, { ...um, issuer: `${um.issuer}/` }])).toEqual([]);
  });

  it('fails applicationID on the user_management provider, a wrong one on the legacy provider, ES256 and a proxy JWKS', () => {
    const causes = only([
      { ...legacy, applicationID: 'client_01SOMEONEELSE', algorithm: 'ES256' },
      { ...um, applicationID: clientId, jwks: 'https://my-app.example/.well-known/jwks.json' },
    ]).map((p) => `${p.severity}: ${p.cause}`);
    expect(causes).toHaveLength(4);
    expect(causes[0]).toMatch(/^fail: .*applicationID "client_01SOMEONEELSE".*aud is the client ID/);
    expect(causes[1]).toMatch(/^fail: .*expects algorithm "ES256"/);
    expect(causes[2]).toMatch(/^fail: .*no aud claim/);
    expect(causes[3]).toMatch(/^fail: .*fetches keys from "https:\/\/my-app\.example/);
  });

  it('only warns when the legacy provider has no applicationID', () => {
    const { applicationID: _, ...noAud } = legacy;
    expect(only([noAud, um]).map((p) => p.severity)).toEqual(['warn']);
  });
});

describe('classifyAuthorizeAnswer', () => {
  it('reads a redirect to the hosted sign-in page as registered', () => {
    expect(classifyAuthorizeAnswer(302, 'https://brave-owl-12.authkit.app/?client_id=x', '').kind).toBe('registered');
    expect(classifyAuthorizeAnswer(200, null, '<form>').kind).toBe('registered');
  });

  it("reads WorkOS's error page and the stand-in's 400 as an unregistered redirect URI", () => {
    expect(classifyAuthorizeAnswer(302, 'https://error.workos.com/sso/redirect-uri-invalid', '').kind).toBe('unregistered');
    expect(classifyAuthorizeAnswer(400, null, '<p id="error">Invalid redirect URI: http://x/callback is not registered</p>').kind).toBe('unregistered');
  });

  it('tells a refused client ID and unknown answers apart', () => {
    expect(classifyAuthorizeAnswer(400, null, '<p>Invalid client ID.</p>').kind).toBe('client');
    expect(classifyAuthorizeAnswer(302, 'https://error.workos.com/sso/something-else', '').kind).toBe('unknown');
    expect(classifyAuthorizeAnswer(503, null, '').kind).toBe('unknown');
  });
});

describe('reachableWorkosUrl', () => {
  const url = `https://api.workos.com/sso/jwks/${clientId}`;
  it('keeps WorkOS URLs when no other host is configured, and other URLs always', () => {
    expect(reachableWorkosUrl(url, {})).toBe(url);
    expect(reachableWorkosUrl('https://my-app.example/jwks', { WORKOS_API_HOSTNAME: '127.0.0.1' })).toBe('https://my-app.example/jwks');
  });
  it("moves a custom authentication domain's URLs there too, and only that domain's", () => {
    const sdk = { WORKOS_API_HOSTNAME: '127.0.0.1', WORKOS_API_PORT: '4010', WORKOS_API_HTTPS: 'false' };
    const custom = `https://auth.example.test/sso/jwks/${clientId}`;
    expect(reachableWorkosUrl(custom, sdk, 'auth.example.test')).toBe(`http://127.0.0.1:4010/sso/jwks/${clientId}`);
    expect(reachableWorkosUrl(custom, sdk)).toBe(custom);
    expect(reachableWorkosUrl(custom, {}, 'auth.example.test')).toBe(custom);
    expect(reachableWorkosUrl(custom, { WORKOS_API_HOSTNAME: 'auth.example.test' }, 'auth.example.test')).toBe(custom);
  });
  it('moves the same path to the host the SDK is pointed at', () => {
    expect(reachableWorkosUrl(url, { WORKOS_API_HOSTNAME: '127.0.0.1', WORKOS_API_PORT: '4010', WORKOS_API_HTTPS: 'false' })).toBe(`http://127.0.0.1:4010/sso/jwks/${clientId}`);
  });
});
