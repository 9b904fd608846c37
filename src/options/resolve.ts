/**
 * Turns flags, environment and answers into validated Options, in that order of precedence:
 * flag → environment variable → prompt → default.
 */
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { Asker } from './ask.js';
import { detectPackageManager } from '../systems/package-manager.js';
import { flagOf, metaOf, optionNames, optionsSchema, type OptionName, type Options } from './schema.js';
import { managedAlternative, settleWorkosSource } from './workos-source.js';

export type RawOptions = Partial<Record<OptionName, unknown>>;

export type { Asker } from './ask.js';

export interface ResolveInput {
  flags: RawOptions;
  /** Values from the project itself on a rerun (.env.local, manifest): after flags, before env. */
  fallback?: RawOptions;
  env: NodeJS.ProcessEnv;
  /** Prompts are used only when interactive (a TTY, not --yes, --json or CI); the run's one asker. */
  asker?: Pick<Asker, 'ask'> & Partial<Pick<Asker, 'select'>>;
  /** Options this run needs beyond the table's `required` ones (e.g. --domain with --add-production). */
  required?: OptionName[];
  /** Whether Convex-managed WorkOS may stand in for the keys (not for --add-production). Default: yes. */
  offerManaged?: boolean;
}

export function isInteractive(flags: RawOptions, env: NodeJS.ProcessEnv, stdinIsTTY: boolean): boolean {
  return stdinIsTTY && !flags.yes && !flags.json && !isTruthy(env.CI);
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function fromEnv(name: OptionName, env: NodeJS.ProcessEnv): string | undefined {
  const vars = metaOf(name).env;
  for (const v of vars === undefined ? [] : Array.isArray(vars) ? vars : [vars]) {
    if (env[v]) return env[v];
  }
  return undefined;
}

export async function resolveOptions({ flags, fallback = {}, env, asker, required = [], offerManaged = true }: ResolveInput): Promise<Options> {
  const raw: RawOptions = {};
  for (const name of optionNames) {
    raw[name] = flags[name] ?? fallback[name] ?? fromEnv(name, env);
  }
  raw.packageManager ??= detectPackageManager(env);
  // Convex-managed WorkOS: the keys come from Convex later in the run, so none is asked for now.
  const managed = await settleWorkosSource(raw, flags, fallback, env, asker?.select ? (asker as Pick<Asker, 'select'>) : undefined, offerManaged);

  const missing: OptionName[] = [];
  for (const name of optionNames) {
    if (raw[name] !== undefined) continue;
    const meta = metaOf(name);
    const needed = (meta.required && !(managed && (name === 'workosApiKey' || name === 'workosClientId'))) || required.includes(name);
    if (asker && meta.prompt && (needed || name === 'directory')) {
      raw[name] = await asker.ask(name);
    }
    if (raw[name] === undefined && name === 'directory') raw.directory = 'my-app';
    if (raw[name] === undefined && needed) missing.push(name);
  }
  if (missing.length > 0) {
    const lines = missing.map((n) => {
      const meta = metaOf(n);
      return `  ${flagOf(n)}${meta.env ? ` (or env ${meta.env})` : ''}: ${meta.description}`;
    });
    const alternative = offerManaged ? managedAlternative(missing) : undefined;
    if (alternative) lines.push(alternative);
    throw new UsageError(
      `Missing required option${missing.length > 1 ? 's' : ''}:\n${lines.join('\n')}`,
      'Pass them as flags or environment variables, or run in a terminal without --yes to be asked.',
    );
  }

  const schema = managed ? (optionsSchema as unknown as z.ZodObject).partial({ workosApiKey: true, workosClientId: true }) : optionsSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error));
  const options = parsed.data as Options;
  options.convexProject ??= path.basename(path.resolve(options.directory));
  if (Boolean(options.convexUrl) !== Boolean(options.convexAdminKey)) {
    throw new UsageError(
      '--convex-url and --convex-admin-key go together (self-hosted Convex needs both).',
      'Pass both, or neither to provision a Convex cloud deployment.',
    );
  }
  return options;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const name = issue.path[0] as OptionName | undefined;
      const where = name ? flagOf(name) : 'options';
      // The table's messages are sentences; the flag goes first unless the sentence already names it.
      return issue.message.includes(where) ? issue.message : `${where}: ${issue.message}`;
    })
    .join('\n');
}
