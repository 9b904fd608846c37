/**
 * What the checks look at, read once: the project's files, and (lazily, memoized) the deployment's
 * variables, the evaluated auth.config, the WorkOS client and the JWKS documents. A check that needs
 * something another check failed to get skips, naming that check.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fs from 'fs-extra';
import type { JSONWebKeySet } from 'jose';
import { UsageError } from '../errors.js';
import { ENV, WORKOS_HOST_VARS } from '../env-names.js';
import { features as featureTable } from '../features/index.js';
import { ENV_FILE, readEnvFile } from '../files/env-file.js';
import { MANIFEST_FILE, readManifest, type Manifest } from '../manifest.js';
import { optionTable } from '../options/schema.js';
import { addSecret } from '../secrets.js';
import { accessToken, listDeploymentEnv } from '../systems/convex.js';
import { connectWorkOSWith, fetchJwks, reachableWorkosUrl, WEBHOOK_PATH, type WorkOSApi } from '../systems/workos.js';
import { PRODUCTION_ENV_FILE } from '../steps/production/hosting.js';
import { REPAIR_WEBHOOK } from './checks/workos.js';
import { evaluateAuthConfig, functionsDir, type LoadedAuthConfig } from './auth-config.js';

export interface DoctorContext {
  projectDir: string;
  /** The project's .env.local (what `next dev` reads); with --prod, .env.production.local. */
  localEnv: Record<string, string>;
  /** The file localEnv comes from, for messages: `.env.local`, or `.env.production.local` with --prod. */
  envFile: string;
  /** What points a `npx convex env …` fix at the checked deployment: '' (dev) or ' --prod'. */
  convexTarget: string;
  /** The command that gives the checked deployment a webhook endpoint and its secret again. */
  repairWebhook: string;
  /** The custom authentication domain the checked chain was set up for (--workos-auth-domain), and the command that sets one. */
  authDomain?: string;
  repairAuthDomain(domain: string): string;
  manifest?: Manifest;
  /** Template features: from the manifest, else guessed from the files (a hand-made project). */
  features: string[];
  hasWebhooks: boolean;
  /** A project made with --no-account and not claimed yet: a local deployment WorkOS cannot reach. */
  noAccount: boolean;
  /** The access token given with --token. */
  token?: string;
  /** Where the WorkOS API is: WORKOS_API_HOSTNAME/PORT/HTTPS of .env.local, overridden by the shell's. */
  hostEnv: NodeJS.ProcessEnv;
  /** .env.local's WORKOS_CLIENT_ID when it is well-formed. */
  clientId?: string;
  /** .env.local's WORKOS_API_KEY when it is well-formed. */
  apiKey?: string;
  /** The deployment's variables (through the convex CLI); rejects with the CLI's error. */
  deploymentEnv(): Promise<Record<string, string>>;
  /** auth.config evaluated with the deployment's variables. */
  authConfig(): Promise<LoadedAuthConfig>;
  workos(): Promise<WorkOSApi>;
  /** A JWKS document, fetched from where the tokens are really minted (see reachableWorkosUrl). */
  jwks(url: string): Promise<JSONWebKeySet>;
  /** `<NEXT_PUBLIC_CONVEX_SITE_URL>/workos/webhook`, when the site URL is set. */
  webhookUrl?: string;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}


/** A project doctor can check: a package.json, and Convex in it (or our manifest). Else exit 2. */
async function assertProject(projectDir: string): Promise<void> {
  const pkgFile = path.join(projectDir, 'package.json');
  if (!existsSync(pkgFile)) {
    throw new UsageError(`${projectDir} is not a project folder (no package.json).`, 'Run create-authkit-convex doctor in the root folder of your Next.js + Convex project.');
  }
  const pkg = (await fs.readJson(pkgFile).catch(() => ({}))) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  if (!existsSync(path.join(projectDir, MANIFEST_FILE)) && !deps.convex && !existsSync(functionsDir(projectDir))) {
    throw new UsageError(
      `${projectDir} is not a Convex project (no ${MANIFEST_FILE}, no convex dependency, no convex/ folder).`,
      'Run create-authkit-convex doctor in the root folder of your Next.js + Convex project.',
    );
  }
}

/**
 * --prod: the production chain instead, with the same checks: the hosting side's variables
 * (.env.production.local, with the production deployment's URLs from the manifest) and the
 * production deployment's variables.
 */
async function productionEnv(projectDir: string, manifest: Manifest | undefined): Promise<Record<string, string>> {
  const deployment = manifest?.production?.deployment;
  if (!deployment) {
    throw new UsageError('This project has no production set up by create-authkit-convex (its manifest records none).', 'Set it up with npx create-authkit-convex --add-production --domain <your domain>.');
  }
  return { ...(await readEnvFile(projectDir, PRODUCTION_ENV_FILE)), [ENV.convexUrl]: deployment.url, [ENV.convexSiteUrl]: deployment.siteUrl };
}

export async function createContext(projectDir: string, opts: { token?: string; env?: NodeJS.ProcessEnv; prod?: boolean } = {}): Promise<DoctorContext> {
  await assertProject(projectDir);
  const shell = opts.env ?? process.env;
  const devEnv = await readEnvFile(projectDir);
  const localEnv = opts.prod ? await productionEnv(projectDir, await readManifest(projectDir)) : devEnv;
  // Every secret a feature keeps in .env.local, and a self-hosted deployment's admin key.
  for (const v of featureTable.flatMap((f) => f.vars ?? [])) if (v.secret) addSecret(localEnv[v.name]);
  addSecret(localEnv[ENV.convexSelfHostedAdminKey]);
  addSecret(opts.token);
  accessToken(); // registers the Convex login's token

  const manifest = await readManifest(projectDir);
  const http = path.join(functionsDir(projectDir), 'http.ts');
  const guessedWebhooks = existsSync(http) && (await fs.readFile(http, 'utf8')).includes(WEBHOOK_PATH);
  const features = manifest?.features ?? (guessedWebhooks ? ['base', 'webhooks'] : ['base']);

  const hostEnv: NodeJS.ProcessEnv = {};
  for (const name of WORKOS_HOST_VARS) {
    const value = shell[name] ?? localEnv[name] ?? devEnv[name];
    if (value !== undefined) hostEnv[name] = value;
  }
  const wellFormed = (value: string | undefined, name: 'workosClientId' | 'workosApiKey') => (optionTable[name].schema.safeParse(value).success ? value : undefined);
  const clientId = wellFormed(localEnv[ENV.workosClientId], 'workosClientId');
  const apiKey = wellFormed(localEnv[ENV.workosApiKey], 'workosApiKey');
  const siteUrl = localEnv[ENV.convexSiteUrl];

  const deploymentEnv = once(async () => {
    const env = await listDeploymentEnv(projectDir, opts.prod ? { deployment: 'prod' } : {});
    // Doctor prints no deployment value but the client ID; still, register the secret-looking ones
    // (not all: redacting a plain value such as a URL would garble the messages that name it).
    for (const [name, value] of Object.entries(env)) if (/KEY|SECRET|TOKEN|PASSWORD|PRIVATE|CREDENTIAL/i.test(name)) addSecret(value);
    return env;
  });
  const jwksCache = new Map<string, Promise<JSONWebKeySet>>();

  const ctx: DoctorContext = {
    projectDir,
    localEnv,
    envFile: opts.prod ? PRODUCTION_ENV_FILE : ENV_FILE,
    convexTarget: opts.prod ? ' --prod' : '',
    repairWebhook: opts.prod
      ? `npx create-authkit-convex --add-production --domain ${manifest?.production?.domain ?? '<your domain>'} (with the production WorkOS keys)`
      : REPAIR_WEBHOOK,
    // Production has its own (recorded by --add-production); the dev one is the manifest's option.
    authDomain: opts.prod ? manifest?.production?.authDomain : typeof manifest?.options.workosAuthDomain === 'string' ? manifest.options.workosAuthDomain : undefined,
    repairAuthDomain: (domain) =>
      opts.prod
        ? `npx create-authkit-convex --add-production --domain ${manifest?.production?.domain ?? '<your domain>'} --workos-auth-domain ${domain} (with the production WorkOS keys)`
        : `npx create-authkit-convex --workos-auth-domain ${domain}`,
    manifest,
    features,
    hasWebhooks: features.includes('webhooks'),
    noAccount: manifest?.options.account === false,
    token: opts.token,
    hostEnv,
    clientId,
    apiKey,
    webhookUrl: siteUrl ? siteUrl.replace(/\/+$/, '') + WEBHOOK_PATH : undefined,
    deploymentEnv,
    authConfig: once(async () => evaluateAuthConfig(projectDir, await deploymentEnv())),
    workos: once(async () => {
      if (!apiKey || !clientId) throw new Error(`${ctx.envFile} lacks a valid ${ENV.workosApiKey} or ${ENV.workosClientId}`);
      return connectWorkOSWith(apiKey, clientId, hostEnv, { maxRetries: 1, timeoutMs: 15_000 });
    }),
    jwks(url) {
      let cached = jwksCache.get(url);
      if (!cached) {
        // A custom authentication domain's keys are fetched where WORKOS_API_HOSTNAME says, like api.workos.com's.
        const authDomain = deploymentEnv().then((env) => env[ENV.workosAuthDomain], () => undefined);
        cached = authDomain.then((domain) => fetchJwks(reachableWorkosUrl(url, hostEnv, domain)));
        jwksCache.set(url, cached);
      }
      return cached;
    },
  };
  return ctx;
}
