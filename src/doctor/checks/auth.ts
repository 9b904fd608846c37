/** Token validation: auth.config's providers, the JWKS they name, and (with --token) a real token. */
import { validateToken, type TokenCheck } from '../../auth/validate-token.js';
import { ENV } from '../../env-names.js';
import { apiHostFromEnv, JwksError, reachableWorkosUrl, WORKOS_API_ORIGIN, workosJwksUrl } from '../../systems/workos.js';
import { compareProviders, legacyIssuer, type LoadedAuthConfig } from '../auth-config.js';
import type { DoctorContext } from '../context.js';
import { fail, pass, skip, warn, type Check } from '../types.js';
import { authDomainOf } from './auth-domain.js';

const PUSH = 'then push: npx convex dev --once';

async function loadConfig(ctx: DoctorContext): Promise<{ config?: LoadedAuthConfig; error?: unknown; noDeployment?: boolean }> {
  try {
    await ctx.deploymentEnv();
  } catch {
    return { noDeployment: true };
  }
  try {
    return { config: await ctx.authConfig() };
  } catch (error) {
    return { error };
  }
}

export const authConfigProviders: Check = async (ctx) => {
  const id = 'auth-config';
  const title = 'convex/auth.config.ts trusts WorkOS tokens of this client ID';
  const { config, error, noDeployment } = await loadConfig(ctx);
  if (noDeployment) return skip(id, title, 'it is evaluated with the deployment\'s variables, which could not be read');
  if (!config) {
    return fail(id, title, `auth.config could not be evaluated: ${(error as Error)?.message ?? error}`, `Fix the error in convex/auth.config.ts (npx convex dev --once shows it too), ${PUSH}`);
  }
  if (config.missingEnv.length > 0) {
    const names = config.missingEnv.join(', ');
    return fail(
      id,
      title,
      `${config.file} reads ${names}, which the deployment does not set: Convex refuses the push (AuthConfigMissingEnvironmentVariable) and the providers come out as "…/undefined".`,
      `npx convex env set${ctx.convexTarget} ${config.missingEnv[0]} ${config.missingEnv[0] === 'WORKOS_CLIENT_ID' && ctx.clientId ? ctx.clientId : '<value>'}, ${PUSH}`,
    );
  }
  // Providers are built from the deployment's client ID; a mismatch with .env.local is the deployment check's.
  const env = await ctx.deploymentEnv();
  const clientId = env.WORKOS_CLIENT_ID ?? ctx.clientId;
  if (!clientId) return skip(id, title, `no client ID to compare with (${ctx.envFile} and the deployment lack WORKOS_CLIENT_ID)`);
  const problems = compareProviders(config.providers, clientId, config.file, env[ENV.workosAuthDomain]);
  const failures = problems.filter((p) => p.severity === 'fail');
  if (failures.length > 0) {
    const first = failures[0]!;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more: ${failures.slice(1).map((f) => f.cause).join(' ')})` : '';
    return fail(id, title, first.cause + more, first.fix);
  }
  if (problems.length > 0) return warn(id, title, problems[0]!.cause, problems[0]!.fix);
  return pass(id, title, `${config.customJwt.length} customJwt providers: ${config.customJwt.map((p) => p.issuer).join(', ')}`);
};

/** The JWKS URLs the WorkOS providers name (or, without a config, WorkOS's for the client ID). */
async function jwksUrls(ctx: DoctorContext): Promise<string[]> {
  const { config } = await loadConfig(ctx);
  const domain = await authDomainOf(ctx);
  const workos = (issuer: string) => issuer.startsWith(WORKOS_API_ORIGIN) || (domain !== undefined && issuer.startsWith(`https://${domain}/`));
  const fromConfig = config?.customJwt.filter((p) => workos(p.issuer)).map((p) => p.jwks) ?? [];
  if (fromConfig.length > 0) return [...new Set(fromConfig)];
  return ctx.clientId ? [workosJwksUrl(ctx.clientId)] : [];
}

export const jwksServesKeys: Check = async (ctx) => {
  const id = 'jwks';
  const title = 'The JWKS URL serves signing keys';
  const urls = await jwksUrls(ctx);
  if (urls.length === 0) return skip(id, title, `no JWKS URL to check (no client ID in ${ctx.envFile})`);
  const found: string[] = [];
  for (const url of urls) {
    const fetched = reachableWorkosUrl(url, ctx.hostEnv, await authDomainOf(ctx));
    const via = fetched === url ? '' : `, fetched at ${new URL(fetched).origin} as WORKOS_API_HOSTNAME says`;
    const shown = via ? `${url} (${via.slice(2)})` : url;
    try {
      const set = await ctx.jwks(url);
      const usable = set.keys.filter((k) => k.kty === 'RSA' && k.kid && (!k.use || k.use === 'sig'));
      if (usable.length === 0) {
        return fail(id, title, `${shown} serves no RSA signing key with a kid, so no RS256 token can verify.`, 'Check the jwks URL in convex/auth.config.ts: it must be https://api.workos.com/sso/jwks/<client ID>.');
      }
      found.push(`${usable.length} key${usable.length > 1 ? 's' : ''} at ${url}${via}`);
    } catch (error) {
      const status = error instanceof JwksError ? error.status : undefined;
      if (status === 404 || status === 400) {
        const clientId = /\/sso\/jwks\/([^/?]+)/.exec(url)?.[1];
        return fail(
          id,
          title,
          `${shown} answered ${status}: WorkOS does not know the client ID ${clientId ?? 'in that URL'}.`,
          `Copy the client ID from the same WorkOS environment as the API key (dashboard → API Keys), set it in ${ctx.envFile} and with npx convex env set${ctx.convexTarget} WORKOS_CLIENT_ID <id>, ${PUSH}`,
        );
      }
      return fail(id, title, `Could not get the keys: ${(error as Error).message}.`, `Check your network (and WORKOS_API_HOSTNAME if you set it; WorkOS API here: ${apiHostFromEnv(ctx.hostEnv).origin}), then run doctor again.`);
    }
  }
  return pass(id, title, found.join('; '));
};

/** What to do about each way a token can fail, given what it claims. */
function tokenFix(ctx: DoctorContext, check: Extract<TokenCheck, { ok: false }>): { cause: string; fix: string } {
  const iss = typeof check.claims?.iss === 'string' ? check.claims.iss : undefined;
  const ours = ctx.clientId ?? 'this project\'s client ID';
  const fresh = `Use a token of this app: sign in at ${ctx.localEnv.NEXT_PUBLIC_WORKOS_REDIRECT_URI ? new URL(ctx.localEnv.NEXT_PUBLIC_WORKOS_REDIRECT_URI).origin : 'your app'} and copy the access token (useAccessToken / withAuth), then run doctor --token again.`;
  switch (check.problem) {
    case 'issuer': {
      const other = iss ? /\/user_management\/(client_[A-Za-z0-9]+)/.exec(iss)?.[1] : undefined;
      if (other && other !== ctx.clientId) {
        return {
          cause: `${check.message} The token was minted for client ID ${other}, this project uses ${ours}.`,
          fix: `${fresh} (Or, if ${other} is the environment you want, set WORKOS_CLIENT_ID=${other} in ${ctx.envFile} and: npx convex env set${ctx.convexTarget} WORKOS_CLIENT_ID ${other}.)`,
        };
      }
      // Minted through a custom authentication domain this project does not trust yet.
      const viaDomain = iss ? /^https:\/\/([^/]+)\/user_management\/client_[A-Za-z0-9]+$/.exec(iss)?.[1] : undefined;
      if (viaDomain && `https://${viaDomain}` !== WORKOS_API_ORIGIN) {
        return { cause: `${check.message} The token was issued through the custom authentication domain ${viaDomain}.`, fix: `npx create-authkit-convex --workos-auth-domain ${viaDomain} (Convex then trusts it), then run doctor --token again.` };
      }
      if (iss && iss.startsWith(WORKOS_API_ORIGIN)) {
        return { cause: check.message, fix: `In convex/auth.config.ts, add a customJwt provider with issuer "${iss}" (see "convex/auth.config.ts trusts …" above), ${PUSH}` };
      }
      return { cause: `${check.message} It is not a WorkOS access token.`, fix: fresh };
    }
    case 'audience':
      return iss && iss.replace(/\/+$/, '') !== legacyIssuer.replace(/\/+$/, '')
        ? { cause: check.message, fix: `In convex/auth.config.ts, remove applicationID from the provider with issuer "${iss}" (these tokens have no aud), ${PUSH}` }
        : { cause: `${check.message} The token is for another client ID.`, fix: fresh };
    case 'kid':
      return { cause: `${check.message}`, fix: `The token was signed by another WorkOS environment (or with a retired key). ${fresh}` };
    case 'expired':
      return { cause: `${check.message} Access tokens live about 5 minutes; the app refreshes them itself.`, fix: fresh };
    case 'algorithm':
      return { cause: check.message, fix: `In convex/auth.config.ts, set algorithm: "RS256" on the WorkOS providers, ${PUSH}` };
    case 'jwks':
      return { cause: check.message, fix: 'Fix what the JWKS check above reports, then run doctor --token again.' };
    case 'signature':
      return { cause: `${check.message} The token was altered, or signed by someone other than WorkOS.`, fix: fresh };
    default:
      return { cause: check.message, fix: 'Pass the access token itself (three base64url parts separated by dots), not the session cookie.' };
  }
}

export const tokenAccepted: Check = async (ctx) => {
  const id = 'token';
  const title = 'The access token given with --token would be accepted by Convex';
  if (!ctx.token) return skip(id, title, 'pass --token <access token> to check a real token');
  const { config, noDeployment } = await loadConfig(ctx);
  if (noDeployment) return skip(id, title, 'the providers come from the deployment, which could not be read');
  if (!config) return skip(id, title, 'auth.config could not be evaluated (see above)');
  const result = await validateToken(ctx.token, config.customJwt, { jwks: (url) => ctx.jwks(url) });
  if (result.ok) {
    return pass(id, title, `iss ${result.provider.issuer}, sub ${String(result.claims.sub)}, expires ${new Date(Number(result.claims.exp) * 1000).toISOString()}`);
  }
  const { cause, fix } = tokenFix(ctx, result);
  return { ...fail(id, title, cause, fix), code: result.problem };
};
