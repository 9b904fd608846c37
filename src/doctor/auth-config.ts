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

  // Only the deployment's variables, and a record of every name read that it lacks.
  const missing = new Set<string>();
  const values = { ...env };
  const processEnv = new Proxy(values, {
    get(target, name) {
      if (typeof name === 'string' && !(name in target)) missing.add(name);
      return typeof name === 'string' ? target[name] : undefined;
    },
  });
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = vm.runInNewContext(`(function (module, exports, require, process) {\n${code}\n})`, { URL, URLSearchParams, console: { log() {}, warn() {}, error() {}, info() {} } }, {
    filename: file,
    timeout: 5_000,
  }) as (m: typeof module, e: unknown, r: NodeRequire, p: { env: Record<string, string> }) => void;
  wrapper(module, module.exports, createRequire(file), { env: processEnv });

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
export function compareProviders(providers: Array<Record<string, unknown>>, clientId: string, file = 'convex/auth.config.ts'): ProviderProblem[] {
  const problems: ProviderProblem[] = [];
  const jwks = workosJwksUrl(clientId);
  const expected = [
    { issuer: legacyIssuer, applicationID: clientId as string | undefined, label: 'older environments' },
    { issuer: userManagementIssuer(clientId), applicationID: undefined, label: 'newer environments' },
  ];
  const issuerOf = (p: Record<string, unknown>) => (typeof p.issuer === 'string' ? p.issuer : '');
  const matches = (p: Record<string, unknown>, issuer: string) => trim(issuerOf(p)) === trim(issuer);
  // Providers that look like WorkOS ones but match no expected issuer: typos, or another client ID.
  const strays = providers.filter((p) => /workos/i.test(issuerOf(p)) && !expected.some((e) => matches(p, e.issuer)));

  for (const want of expected) {
    const found = providers.find((p) => matches(p, want.issuer));
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
        fix: `In ${file}, set jwks: \`https://api.workos.com/sso/jwks/\${process.env.WORKOS_CLIENT_ID}\` on ${where}, then push: npx convex dev --once`,
      });
    }
  }
  return problems;
}
