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

export type RawOptions = Partial<Record<OptionName, unknown>>;

export type { Asker } from './ask.js';

export interface ResolveInput {
  flags: RawOptions;
  /** Values from the project itself on a rerun (.env.local, manifest): after flags, before env. */
  fallback?: RawOptions;
  env: NodeJS.ProcessEnv;
  /** Prompts are used only when interactive (a TTY, not --yes, --json or CI); the run's one asker. */
  asker?: Pick<Asker, 'ask'>;
  /** Options this run needs beyond the table's `required` ones (e.g. --domain with --add-production). */
  required?: OptionName[];
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

export async function resolveOptions({ flags, fallback = {}, env, asker, required = [] }: ResolveInput): Promise<Options> {
  const raw: RawOptions = {};
  for (const name of optionNames) {
    raw[name] = flags[name] ?? fallback[name] ?? fromEnv(name, env);
  }
  raw.packageManager ??= detectPackageManager(env);

  const missing: OptionName[] = [];
  for (const name of optionNames) {
    if (raw[name] !== undefined) continue;
    const meta = metaOf(name);
    const needed = meta.required || required.includes(name);
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
    throw new UsageError(
      `Missing required option${missing.length > 1 ? 's' : ''}:\n${lines.join('\n')}`,
      'Pass them as flags or environment variables, or run in a terminal without --yes to be asked.',
    );
  }

  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error));
  const options = parsed.data;
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
