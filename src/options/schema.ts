/**
 * The single source of truth for every option: its type and validation (zod), its flag, its env
 * fallback, its prompt, whether it is a secret, and whether it belongs in the project manifest.
 * The command line, the prompts, `--json` output and the manifest are all derived from this table.
 */
import { z } from 'zod';
import { ENV } from '../env-names.js';
import { addOptionName, optionalFeatures, optionName } from '../features/index.js';
import { keyProblem, type KeyKind } from './key-shape.js';

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

interface OptionMeta {
  /** Commander flag text, e.g. `--workos-api-key <key>`. Absent for the positional directory. */
  flag?: string;
  description: string;
  /** Environment variable read when the flag is not given. */
  env?: string | string[];
  /** How to ask for it interactively; absent means never prompted. */
  prompt?: { kind: 'text' | 'password' | 'select' | 'confirm'; message: string; placeholder?: string; defaultValue?: string };
  /** Never printed, logged, written to the manifest or passed in argv. */
  secret?: boolean;
  /** Needed to run; a non-interactive run without it fails listing its flag. */
  required?: boolean;
  /** Only changes how this run behaves; not recorded in the manifest. */
  runtime?: boolean;
  /** The --no- form's help, when "Leave out: …" does not say it. */
  negated?: string;
}

function option<T extends z.ZodType>(schema: T, meta: OptionMeta) {
  return { schema, meta };
}

/** Pasted values lose surrounding whitespace and newlines; what is still wrong is said in words. */
const workosKey = (kind: KeyKind) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = keyProblem(kind, value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
const workosApiKey = workosKey('apiKey');
const workosClientId = workosKey('clientId');
const TIMEOUT_ERROR = '--timeout takes a whole number of seconds above 0, e.g. --timeout 600.';
const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, error: `${what} must be an http(s) URL.` });

const head = {
  directory: option(z.string().trim().min(1, 'The project directory is empty: name one, e.g. create-authkit-convex my-app.'), {
    description: 'Directory to create the project in',
    prompt: { kind: 'text', message: 'Where should the project be created?', placeholder: 'my-app', defaultValue: 'my-app' },
  }),
  packageManager: option(z.enum(PACKAGE_MANAGERS, `--package-manager must be one of ${PACKAGE_MANAGERS.join(', ')}.`), {
    flag: '--package-manager <name>',
    description: 'Package manager: npm, pnpm, yarn or bun (default: the one running this command, else npm)',
  }),
  workosApiKey: option(workosApiKey, {
    flag: '--workos-api-key <key>',
    env: ENV.workosApiKey,
    description: 'WorkOS API key (sk_test_… or sk_live_…)',
    prompt: { kind: 'password', message: 'WorkOS API key (sk_test_… from WorkOS dashboard → API Keys; hidden as you paste)' },
    secret: true,
    required: true,
  }),
  workosClientId: option(workosClientId, {
    flag: '--workos-client-id <id>',
    env: ENV.workosClientId,
    description: 'WorkOS client ID (client_…)',
    prompt: { kind: 'text', message: 'WorkOS client ID', placeholder: 'client_01…' },
    required: true,
  }),
  convexTeam: option(z.string().trim().min(1, '--convex-team is empty: give a team slug.').optional(), {
    flag: '--convex-team <slug>',
    description: 'Convex team to create the project in (default: your only team, or a prompt)',
  }),
  convexProject: option(z.string().trim().min(1, '--convex-project is empty: give a project name.').optional(), {
    flag: '--convex-project <name>',
    description: "Convex project name (default: the directory's name)",
  }),
  convexUrl: option(httpUrl('--convex-url').optional(), {
    flag: '--convex-url <url>',
    env: ENV.convexSelfHostedUrl,
    description: 'Use this self-hosted Convex deployment instead of provisioning one',
  }),
  convexAdminKey: option(z.string().trim().min(1, '--convex-admin-key is empty.').optional(), {
    flag: '--convex-admin-key <key>',
    env: ENV.convexSelfHostedAdminKey,
    description: 'Admin key of the self-hosted deployment given by --convex-url',
    secret: true,
  }),
  redirectUri: option(httpUrl('--redirect-uri').default('http://localhost:3000/callback'), {
    flag: '--redirect-uri <uri>',
    description: 'AuthKit redirect URI',
  }),
} as const;

/** A WorkOS custom authentication (API) domain: tokens then carry its issuer, and its host serves the keys. */
const AUTH_DOMAIN_ERROR = '--workos-auth-domain takes a bare host name such as auth.example.com (no https://, path or port).';
const authDomain = {
  workosAuthDomain: option(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/, AUTH_DOMAIN_ERROR)
      .refine((host) => host !== 'api.workos.com', '--workos-auth-domain: api.workos.com is WorkOS\'s own domain, which the project always trusts; give your custom domain (e.g. auth.example.com).')
      .optional(),
    {
      flag: '--workos-auth-domain <host>',
      description: "WorkOS custom authentication domain (e.g. auth.example.com): Convex also trusts the tokens it issues; on an existing project, sets it",
    },
  ),
} as const;

/** Each feature's option (`--sso`), from the feature table (src/features). */
const featureOptions = Object.fromEntries(
  optionalFeatures().map((f) => [optionName(f), option(z.boolean().default(f.option!.default), { flag: `--${f.id}`, description: f.option!.description })]),
);

const middle = {
  install: option(z.boolean().default(true), {
    flag: '--install',
    description: 'Install dependencies (default; --no-install to skip, which also skips the steps that need them)',
    // Per run: the same command without --no-install installs and finishes the setup.
    runtime: true,
  }),
  git: option(z.boolean().default(true), {
    flag: '--git',
    description: 'Create a git repository with a first commit (default; --no-git to skip)',
  }),
} as const;

/** Each feature's `--add-<id>`: adds it to a project this tool made. */
const addOptions = Object.fromEntries(
  optionalFeatures().map((f) => [addOptionName(f), option(z.boolean().default(false), { flag: `--add-${f.id}`, description: f.option!.addDescription, runtime: true })]),
);

/** A bare host name (app.example.com): no scheme, port or path. */
const DOMAIN_ERROR = '--domain takes the bare host name of your production site, e.g. --domain app.example.com (no https://, no path).';
const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, DOMAIN_ERROR);

/** Shipping a project this tool made: its production deployment, WorkOS environment and hosting variables. */
const production = {
  addProduction: option(z.boolean().default(false), {
    flag: '--add-production',
    description: 'Set up production for a project this tool made: --workos-api-key/--workos-client-id are then the production keys',
    runtime: true,
  }),
  domain: option(hostName.optional(), {
    flag: '--domain <host>',
    description: 'Host name of the production site, e.g. app.example.com (with --add-production)',
    prompt: { kind: 'text', message: 'Production domain of the app', placeholder: 'app.example.com' },
    // Recorded under the manifest's `production`, not its options.
    runtime: true,
  }),
  allowTestKeys: option(z.boolean().default(false), {
    flag: '--allow-test-keys',
    description: 'With --add-production, accept an sk_test_ key (a staging environment)',
    runtime: true,
  }),
} as const;

/** Convex-managed WorkOS: Convex creates (or reuses) the dev deployment's WorkOS environment, so no keys are pasted. */
const EMAIL_ERROR = '--workos-team-email takes an email address, e.g. --workos-team-email you@example.com.';
const managedWorkos = {
  workosManaged: option(z.boolean().default(false), {
    flag: '--workos-managed',
    description: "Let Convex create (or reuse) the dev deployment's WorkOS environment: no WorkOS keys needed (not with --workos-api-key/--workos-client-id)",
  }),
  workosTeamEmail: option(z.string().trim().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, EMAIL_ERROR).optional(), {
    flag: '--workos-team-email <email>',
    description: 'With --workos-managed, when your Convex team has no WorkOS team yet: the verified email of your Convex account that creates it',
    runtime: true,
  }),
} as const;

/** No account at all: a local anonymous Convex deployment and an unclaimed WorkOS environment (claimed later). */
const noAccount = {
  account: option(z.boolean().default(true), {
    flag: '--account',
    description:
      'Use your Convex and WorkOS accounts (default)',
    negated:
      'Try it with no account at all: a local Convex deployment and an unclaimed WorkOS environment, claimed later with `claim` (not with WorkOS keys, --workos-managed or --convex-url)',
  }),
} as const;

/** --add-production on a folder linked to Vercel: set the host's variables with the vercel CLI. */
const vercelHost = {
  setVercelEnv: option(z.boolean().default(false), {
    flag: '--set-vercel-env',
    description: "With --add-production, in a folder linked to Vercel (vercel link): set the production variables on the Vercel project with the vercel CLI (asked in a terminal; never done without this flag with --yes)",
    runtime: true,
  }),
} as const;

const tail = {
  timeout: option(z.coerce.number(TIMEOUT_ERROR).int(TIMEOUT_ERROR).positive(TIMEOUT_ERROR).default(300), {
    flag: '--timeout <seconds>',
    env: ENV.timeout,
    description: 'Give up on WorkOS, Convex or the shadcn registry after this many seconds without an answer (default 300)',
    runtime: true,
  }),
  yes: option(z.boolean().default(false), {
    flag: '-y, --yes',
    description: 'Accept defaults and never prompt',
    runtime: true,
  }),
  dryRun: option(z.boolean().default(false), {
    flag: '--dry-run',
    description: 'Print the plan and the files, change nothing',
    runtime: true,
  }),
  json: option(z.boolean().default(false), {
    flag: '--json',
    description: 'Print newline-delimited JSON events instead of the interactive UI',
    runtime: true,
  }),
} as const;

type Entry = { schema: z.ZodType; meta: OptionMeta };
type Fixed = typeof head & typeof authDomain & typeof middle & typeof production & typeof vercelHost & typeof managedWorkos & typeof noAccount & typeof tail;
/** In --help order: the fixed options, each feature's after the redirect URI, the --add-* ones after --git. */
export const optionTable = { ...head, ...authDomain, ...featureOptions, ...middle, ...addOptions, ...production, ...vercelHost, ...managedWorkos, ...noAccount, ...tail } as Fixed & Record<string, Entry>;

export type OptionName = keyof Fixed | (string & {});

/** The options of a run; a feature's (`sso`, `addSso`) are booleans under their own names. */
export type Options = { -readonly [K in keyof Fixed]: z.output<Fixed[K]['schema']> } & { [featureOption: string]: unknown };

export const optionsSchema = z.object(Object.fromEntries(Object.entries(optionTable).map(([k, v]) => [k, v.schema]))) as unknown as z.ZodType<Options>;

export const optionNames = Object.keys(optionTable) as OptionName[];
export const secretOptionNames = optionNames.filter((n) => metaOf(n).secret);

/** The flag a user types for an option, e.g. `--workos-api-key` (or `[directory]`). */
export function flagOf(name: OptionName): string {
  const flag = (optionTable[name]!.meta as OptionMeta).flag;
  if (!flag) return '[directory]';
  return flag.split(/[ ,]+/).find((part) => part.startsWith('--')) ?? flag;
}

export function metaOf(name: OptionName): OptionMeta {
  return optionTable[name]!.meta as OptionMeta;
}

/** Options as recorded in the manifest: no secrets, no per-run switches. */
export function manifestOptions(options: Options): Partial<Options> {
  const out: Record<string, unknown> = {};
  for (const name of optionNames) {
    const meta = metaOf(name);
    if (meta.secret || meta.runtime || name === 'directory') continue;
    if (options[name] !== undefined) out[name] = options[name];
  }
  return out as Partial<Options>;
}
