/** The Next.js side: .env.local holds every value authkit-nextjs and the Convex client read, well-formed. */
import { ENV_FILE } from '../../files/env-file.js';
import { optionTable } from '../../options/schema.js';
import type { DoctorContext } from '../context.js';
import { fail, pass, skip, warn, type Check } from '../types.js';

interface VarRule {
  /** What is wrong with a present value, or undefined when it is fine. */
  problem(value: string): string | undefined;
  /** The fix for a missing or malformed value. */
  fix: string;
  secret?: boolean;
  /** A reason the variable is not needed in this project. */
  notNeeded?(ctx: DoctorContext): string | undefined;
}

const httpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'is not an http(s) URL';
  } catch {
    return 'is not a URL';
  }
};
const zodProblem = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } }) => (value: string) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : `is malformed: ${parsed.error?.issues[0]?.message ?? 'invalid'}`;
};

const rules: Record<string, VarRule> = {
  WORKOS_CLIENT_ID: {
    problem: zodProblem(optionTable.workosClientId.schema),
    fix: `Put WORKOS_CLIENT_ID=client_… in ${ENV_FILE} (WorkOS dashboard → API Keys → Client ID).`,
  },
  WORKOS_API_KEY: {
    problem: zodProblem(optionTable.workosApiKey.schema),
    fix: `Put WORKOS_API_KEY=sk_test_… in ${ENV_FILE} (WorkOS dashboard → API Keys).`,
    secret: true,
  },
  WORKOS_COOKIE_PASSWORD: {
    problem: (v) => (v.length >= 32 ? undefined : `is ${v.length} characters long; authkit-nextjs needs at least 32`),
    fix: `Set WORKOS_COOKIE_PASSWORD in ${ENV_FILE} to the output of: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
    secret: true,
  },
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: {
    problem: httpUrl,
    fix: `Put NEXT_PUBLIC_WORKOS_REDIRECT_URI=http://localhost:3000/callback in ${ENV_FILE} (your app's callback route).`,
  },
  NEXT_PUBLIC_CONVEX_URL: {
    problem: httpUrl,
    fix: `Run npx convex dev --once: the convex CLI writes NEXT_PUBLIC_CONVEX_URL to ${ENV_FILE}.`,
  },
  NEXT_PUBLIC_CONVEX_SITE_URL: {
    problem: httpUrl,
    fix: `Run npx convex dev --once: the convex CLI writes NEXT_PUBLIC_CONVEX_SITE_URL to ${ENV_FILE}.`,
    notNeeded: (ctx) => (ctx.hasWebhooks ? undefined : 'only the webhook needs it, and this project has none'),
  },
};

/** One check per variable: `localVar('WORKOS_CLIENT_ID')`. */
export function localVar(name: keyof typeof rules & string): Check {
  const rule = rules[name]!;
  const id = `local.${name}`;
  return async (ctx) => {
    // The rules name .env.local; with --prod the file is .env.production.local.
    const file = ctx.envFile;
    const title = `${file} has ${name}`;
    const fix = rule.fix.replaceAll(ENV_FILE, file);
    const value = ctx.localEnv[name];
    if (value === undefined || value === '') {
      const reason = rule.notNeeded?.(ctx);
      if (reason) return skip(id, title, reason);
      return fail(id, title, `${name} is missing from ${file}.`, fix);
    }
    const problem = rule.problem(value);
    if (problem) return fail(id, title, `${name} in ${file} ${problem}.`, fix);
    // `next dev` lets the shell's variables win over .env.local.
    const shell = process.env[name];
    if (shell !== undefined && shell !== '' && shell !== value) {
      return warn(id, title, `Your shell also sets ${name}, to another value; \`next dev\` started from this shell uses the shell's.`, `unset ${name} (or make it equal to ${file}'s) before running next dev.`);
    }
    return pass(id, title, rule.secret ? undefined : value);
  };
}
