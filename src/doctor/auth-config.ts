/**
 * convex/auth.config.ts as the Convex backend sees it: transpiled (with the esbuild the project's
 * convex package uses, the same transpiler `convex dev` bundles it with) and evaluated with
 * `process.env` holding the deployment's variables only. Then compared with what WorkOS mints for
 * the client ID (FACTS.md, PITFALLS.md 1–4).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { CustomJwtProvider } from '../auth/validate-token.js';
import { WORKOS_API_ORIGIN, workosJwksUrl } from '../systems/workos.js';

export interface LoadedAuthConfig {
  /** Project-relative path of the file. */
  file: string;
  /** Every provider, as evaluated. */
  providers: Array<Record<string, unknown>>;
  /** The customJwt providers, in validateToken's shape. */
  customJwt: CustomJwtProvider[];
  /** Variables the file read that the given env does not have (Convex refuses such a push). */
  missingEnv: string[];
}

const CONFIG_NAMES = ['auth.config.ts', 'auth.config.js', 'auth.config.mts', 'auth.config.mjs', 'auth.config.cts', 'auth.config.cjs'];

/** The functions folder (convex.json `functions`, default `convex/`). */
export function functionsDir(projectDir: string): string {
  try {
    const config = JSON.parse(readFileSync(path.join(projectDir, 'convex.json'), 'utf8')) as { functions?: string };
    if (config.functions) return path.join(projectDir, config.functions);
  } catch {
    // No convex.json (or not JSON): the CLI's default.
  }
  return path.join(projectDir, 'convex');
}

export function findAuthConfig(projectDir: string): string | undefined {
  const dir = functionsDir(projectDir);
  return CONFIG_NAMES.map((n) => path.join(dir, n)).find((f) => existsSync(f));
}

/** The part of esbuild's API used here (esbuild is the project's, not ours). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
}

/** The project's esbuild: a dependency of convex (hoisted by npm, nested with pnpm). */
function loadEsbuild(projectDir: string): Esbuild {
  const attempts = [
    () => createRequire(path.join(projectDir, 'package.json'))('esbuild') as Esbuild,
    () => createRequire(path.join(projectDir, 'node_modules', 'convex', 'package.json'))('esbuild') as Esbuild,
  ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // try the next place
    }
  }
  throw new Error('esbuild is not installed in this project (it comes with the convex package): run npm install.');
}

export async function evaluateAuthConfig(projectDir: string, env: Record<string, string>): Promise<LoadedAuthConfig> {
  const file = findAuthConfig(projectDir);
  if (!file) throw new Error(`There is no auth.config.ts in ${path.relative(projectDir, functionsDir(projectDir)) || '.'}/.`);
  const esbuild = loadEsbuild(projectDir);
  const built = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    logLevel: 'silent',
  });
  const code = built.outputFiles[0]!.text;

  // Only the deployment's variables. As on Convex, reading one it lacks throws (a read the file
  // catches is fine: the push goes through); each such uncaught read is recorded, then the file is
  // evaluated again with that variable undefined, so the providers still come out ("…/undefined").
  const missing = new Set<string>();
  let module = { exports: {} as Record<string, unknown> };
  for (;;) {
    const thrown = new Map<string, Error>();
    const processEnv = new Proxy({ ...env }, {
      get(target, name) {
        if (typeof name !== 'string') return undefined;
        if (!(name in target) && !missing.has(name)) {
          const error = new Error(`Environment variable ${name} is used in auth config file but its value was not set`);
          thrown.set(name, error);
          throw error;
        }
        return target[name];
      },
    });
    module = { exports: {} };
    const wrapper = vm.runInNewContext(`(function (module, exports, require, process) {\n${code}\n})`, { URL, URLSearchParams, console: { log() {}, warn() {}, error() {}, info() {} } }, {
      filename: file,
      timeout: 5_000,
    }) as (m: typeof module, e: unknown, r: NodeRequire, p: { env: Record<string, string> }) => void;
    try {
      wrapper(module, module.exports, createRequire(file), { env: processEnv });
      break;
    } catch (error) {
      const name = [...thrown].find(([, e]) => e === error)?.[0];
      if (!name) throw error;
      missing.add(name);
    }
  }

  const exported = (module.exports.default ?? module.exports) as { providers?: unknown };
  if (!exported || typeof exported !== 'object' || !Array.isArray(exported.providers)) {
    throw new Error(`${path.relative(projectDir, file)} does not export a default object with a providers array.`);
  }
  const providers = exported.providers.filter((p): p is Record<string, unknown> => Boolean(p) && typeof p === 'object');
  const customJwt = providers
    .filter((p) => p.type === 'customJwt')
    .map((p) => ({
      type: 'customJwt' as const,
      issuer: String(p.issuer),
      jwks: String(p.jwks),
      algorithm: p.algorithm as CustomJwtProvider['algorithm'],
      ...(p.applicationID !== undefined ? { applicationID: String(p.applicationID) } : {}),
    }));
  return { file: path.relative(projectDir, file), providers, customJwt, missingEnv: [...missing].sort() };
}

const trim = (s: string) => s.replace(/\/+$/, '');

export const legacyIssuer = `${WORKOS_API_ORIGIN}/`;
export const userManagementIssuer = (clientId: string) => `${WORKOS_API_ORIGIN}/user_management/${clientId}`;
/** The issuer of tokens minted through a WorkOS custom authentication domain. */
export const authDomainIssuer = (domain: string, clientId: string) => `https://${domain}/user_management/${clientId}`;

export interface ProviderProblem {
  severity: 'fail' | 'warn';
  cause: string;
  fix: string;
}

/**
 * What is wrong with the providers for tokens of `clientId`: both WorkOS issuers listed (older
 * environments mint the bare one with aud = client ID, newer ones the user_management one without
 * aud), applicationID only on the bare one, RS256, and WorkOS's JWKS URL for the client ID.
 */
export function compareProviders(providers: Array<Record<string, unknown>>, clientId: string, file = 'convex/auth.config.ts', authDomain?: string): ProviderProblem[] {
  const problems: ProviderProblem[] = [];
  const expected: Array<{ issuer: string; applicationID?: string; label: string; jwks: string; jwksCode: string }> = [
    { issuer: legacyIssuer, applicationID: clientId, label: 'older environments', jwks: workosJwksUrl(clientId), jwksCode: 'https://api.workos.com/sso/jwks/${process.env.WORKOS_CLIENT_ID}' },
    { issuer: userManagementIssuer(clientId), label: 'newer environments', jwks: workosJwksUrl(clientId), jwksCode: 'https://api.workos.com/sso/jwks/${process.env.WORKOS_CLIENT_ID}' },
  ];
  // The deployment's WORKOS_AUTH_DOMAIN: tokens issued through that custom domain name it, and its host serves the keys.
  if (authDomain) {
    expected.push({
      issuer: authDomainIssuer(authDomain, clientId),
      label: `the custom authentication domain ${authDomain} (the deployment's WORKOS_AUTH_DOMAIN)`,
      jwks: workosJwksUrl(clientId, `https://${authDomain}`),
      jwksCode: 'https://${WORKOS_AUTH_DOMAIN}/sso/jwks/${WORKOS_CLIENT_ID}',
    });
  }
  const issuerOf = (p: Record<string, unknown>) => (typeof p.issuer === 'string' ? p.issuer : '');
  const matches = (p: Record<string, unknown>, issuer: string) => trim(issuerOf(p)) === trim(issuer);
  // Providers that look like WorkOS ones but match no expected issuer: typos, or another client ID.
  const strays = providers.filter((p) => /workos/i.test(issuerOf(p)) && !expected.some((e) => matches(p, e.issuer)));

  for (const want of expected) {
    const jwks = want.jwks;
    const found = providers.find((p) => matches(p, want.issuer));
    if (!found && authDomain && want.issuer === authDomainIssuer(authDomain, clientId)) {
      problems.push({
        severity: 'fail',
        cause: `The deployment sets WORKOS_AUTH_DOMAIN=${authDomain}, but no provider has the issuer "${want.issuer}": tokens issued through ${authDomain} are refused ("No auth provider found matching the given token").`,
        fix: `Run npx create-authkit-convex --workos-auth-domain ${authDomain} (it updates ${file} to trust WORKOS_AUTH_DOMAIN, then pushes)`,
      });
      continue;
    }
    if (!found) {
      const stray = strays.shift();
      problems.push(
        stray
          ? {
              severity: 'fail',
              cause: `No provider has the issuer "${want.issuer}" (${want.label} mint it); the closest is "${issuerOf(stray)}".`,
              fix: `In ${file}, change the issuer "${issuerOf(stray)}" to "${want.issuer}"${want.issuer === legacyIssuer ? '' : ' (a template literal with the client ID)'}, then push: npx convex dev --once`,
            }
          : {
              severity: 'fail',
              cause: `No provider has the issuer "${want.issuer}", so tokens from ${want.label} are refused ("No auth provider found matching the given token").`,
              fix: `In ${file}, add { type: "customJwt", issuer: "${want.issuer}", algorithm: "RS256", jwks: "${jwks}"${want.applicationID ? `, applicationID: "${clientId}"` : ''} }, then push: npx convex dev --once`,
            },
      );
      continue;
    }
    const where = `the provider with issuer "${issuerOf(found)}"`;
    if (found.type !== 'customJwt') {
      problems.push({ severity: 'fail', cause: `${where} has type ${JSON.stringify(found.type)}, not "customJwt".`, fix: `In ${file}, set type: "customJwt" on ${where}, then push: npx convex dev --once` });
    }
    if (want.applicationID === undefined && found.applicationID !== undefined) {
      problems.push({
        severity: 'fail',
        cause: `${where} sets applicationID "${String(found.applicationID)}", but these tokens carry no aud claim, so Convex refuses every one.`,
        fix: `In ${file}, remove applicationID from ${where}, then push: npx convex dev --once`,
      });
    }
    if (want.applicationID !== undefined && found.applicationID !== undefined && found.applicationID !== want.applicationID) {
      problems.push({
        severity: 'fail',
        cause: `${where} sets applicationID "${String(found.applicationID)}", but the tokens' aud is the client ID "${clientId}".`,
        fix: `In ${file}, set applicationID to the client ID (process.env.WORKOS_CLIENT_ID) on ${where}, then push: npx convex dev --once`,
      });
    }
    if (want.applicationID !== undefined && found.applicationID === undefined) {
      problems.push({
        severity: 'warn',
        cause: `${where} has no applicationID, so Convex does not check that tokens were minted for "${clientId}".`,
        fix: `In ${file}, add applicationID: process.env.WORKOS_CLIENT_ID to ${where}, then push: npx convex dev --once`,
      });
    }
    if (found.algorithm !== 'RS256') {
      problems.push({
        severity: 'fail',
        cause: `${where} expects algorithm ${JSON.stringify(found.algorithm ?? null)}; WorkOS signs access tokens with RS256.`,
        fix: `In ${file}, set algorithm: "RS256" on ${where}, then push: npx convex dev --once`,
      });
    }
    if (found.jwks !== jwks) {
      problems.push({
        severity: 'fail',
        cause: `${where} fetches keys from ${JSON.stringify(found.jwks ?? null)}; WorkOS publishes the keys of ${clientId} at ${jwks}.`,
        fix: `In ${file}, set jwks: \`${want.jwksCode}\` on ${where}, then push: npx convex dev --once`,
      });
    }
  }
  return problems;
}
