/**
 * A WorkOS custom authentication domain (--workos-auth-domain): the deployment's WORKOS_AUTH_DOMAIN,
 * which convex/auth.config.ts reads to trust the tokens issued through it, and that host's keys.
 */
import { ENV } from '../../env-names.js';
import { workosJwksUrl } from '../../systems/workos.js';
import type { DoctorContext } from '../context.js';
import { fail, pass, skip, type Check } from '../types.js';

/** The deployment's WORKOS_AUTH_DOMAIN, when it can be read and is set. */
export async function authDomainOf(ctx: DoctorContext): Promise<string | undefined> {
  return ctx.deploymentEnv().then((env) => env[ENV.workosAuthDomain] || undefined, () => undefined);
}

export const deploymentAuthDomain: Check = async (ctx) => {
  const id = 'deployment.WORKOS_AUTH_DOMAIN';
  const title = 'Custom authentication domain (WORKOS_AUTH_DOMAIN) is set and serves its keys';
  const wanted = ctx.authDomain;
  let env: Record<string, string>;
  try {
    env = await ctx.deploymentEnv();
  } catch {
    return skip(id, title, 'the deployment could not be read (see "Convex deployment answers")');
  }
  const value = env[ENV.workosAuthDomain] || undefined;
  if (!wanted && !value) return skip(id, title, 'this project uses no custom authentication domain (--workos-auth-domain)');
  if (wanted && value !== wanted) {
    return fail(
      id,
      title,
      value
        ? `The project was set up for ${wanted}, but the deployment's WORKOS_AUTH_DOMAIN is ${value}: Convex trusts tokens issued through ${value} only.`
        : `The project was set up for ${wanted}, but the deployment has no WORKOS_AUTH_DOMAIN: Convex refuses the tokens issued through ${wanted}.`,
      `${ctx.repairAuthDomain(wanted)} (or, if ${value ?? 'none'} is right, run it with that domain)`,
    );
  }
  const domain = value!;
  if (!ctx.clientId && !env[ENV.workosClientId]) return skip(id, title, 'no client ID to build the JWKS URL with (see the WORKOS_CLIENT_ID checks)');
  const url = workosJwksUrl(env[ENV.workosClientId] ?? ctx.clientId!, `https://${domain}`);
  try {
    const set = await ctx.jwks(url);
    const usable = set.keys.filter((k) => k.kty === 'RSA' && k.kid && (!k.use || k.use === 'sig'));
    if (usable.length === 0) {
      return fail(id, title, `${url} serves no RSA signing key, so no token issued through ${domain} can verify.`, `Check the domain in the WorkOS dashboard (Domains → Authentication API), then: npx create-authkit-convex --workos-auth-domain <domain>`);
    }
    return pass(id, title, `${domain}: ${usable.length} key${usable.length > 1 ? 's' : ''} at ${url}`);
  } catch (error) {
    return fail(
      id,
      title,
      `Convex cannot get the keys of ${domain} (${(error as Error).message}), so it refuses every token issued through it.`,
      `Check that ${domain} is the Authentication API domain in the WorkOS dashboard (Domains) and that its DNS record is verified, then run doctor again.`,
    );
  }
};
