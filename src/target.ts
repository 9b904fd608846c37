/**
 * Where a run works, settled before any key prompt or network call: a new project (its directory
 * absent, empty, or holding only what create-next-app tolerates), a project of ours to resume, or,
 * with --add-*, a project of ours to extend. A rerun reads its keys from the project's .env.local.
 */
import path from 'node:path';
import { ENV } from './env-names.js';
import { UsageError } from './errors.js';
import { readEnvFile } from './files/env-file.js';
import { acquireLock } from './lock.js';
import { MANIFEST_FILE, readManifest, type Manifest } from './manifest.js';
import type { Asker, RawOptions } from './options/resolve.js';
import { optionTable } from './options/schema.js';
import { isDone } from './pipeline.js';
import { checkDirectory, checkPackageName, explainNotOurs, packageNameProblem, type DirectoryState } from './options/validate.js';

export interface Target {
  directory: string;
  state: DirectoryState;
  /** The manifest of a project of ours. */
  existing?: Manifest;
  /** Values from the project itself (keys from .env.local; with --add-*, the manifest's options). */
  fallback: RawOptions;
}

const SELF = 'npx create-authkit-convex';

export async function resolveTarget(flags: RawOptions, adding: boolean, asker: Asker | undefined, cwd: string): Promise<Target> {
  if (adding) {
    const directory = path.resolve(cwd, String(flags.directory ?? '.'));
    const existing = await readManifest(directory);
    if (!existing) throw new UsageError(await explainNotOurs(directory), `Run it inside a project that create-authkit-convex made, or name that project: ${SELF} my-app --add-sso.`);
    if (!flags.dryRun) acquireLock(directory);
    // --add-production: the keys are the production environment's, given for this run, never .env.local's.
    if (flags.addProduction) {
      const { workosApiKey: _key, workosClientId: _id, ...rest } = existing.options;
      return { directory, state: 'ours', existing, fallback: { ...rest, directory, domain: existing.production?.domain } };
    }
    return { directory, state: 'ours', existing, fallback: { ...existing.options, directory, ...(await keysOf(directory)) } };
  }
  if (flags.directory === undefined) await refuseNestedProject(cwd);

  const given = flags.directory ?? (await asker?.ask('directory', (v) => packageNameProblem(path.basename(path.resolve(cwd, v))))) ?? 'my-app';
  const parsed = optionTable.directory.schema.safeParse(given);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  const directory = path.resolve(cwd, parsed.data);
  checkPackageName(directory);
  const state = await checkDirectory(directory);
  // One run at a time in a project (a second one is told the first one's pid); a dry run changes nothing.
  if (!flags.dryRun) acquireLock(directory);
  if (state !== 'ours') return { directory, state, fallback: {} };
  // Resuming: the keys the first run wrote into .env.local serve again, so the same command completes it.
  // (Keys in the environment still win: they may be the corrected ones.)
  const keys = Object.entries(await keysOf(directory)).filter(([name]) => !process.env[ENV[name as keyof typeof ENV]]);
  const existing = await readManifest(directory);
  // A Convex-managed project (--workos-managed) resumes as one, with or without the flag.
  const managed = existing?.options.workosManaged === true ? { workosManaged: true } : {};
  // So does a project made without an account (--no-account), until `claim`.
  const noAccount = existing?.options.account === false ? { account: false } : {};
  return { directory, state, existing, fallback: { ...Object.fromEntries(keys), ...managed, ...noAccount } };
}

async function keysOf(directory: string): Promise<RawOptions> {
  const env = await readEnvFile(directory);
  return { workosApiKey: env[ENV.workosApiKey], workosClientId: env[ENV.workosClientId] };
}

/** Run inside a project of ours without a directory: say so, rather than make a nested my-app/. */
async function refuseNestedProject(cwd: string): Promise<void> {
  const here = await readManifest(cwd);
  if (!here) return;
  const unfinished = !isDone({ manifest: here }, 'push-convex');
  throw new UsageError(
    `This folder is already a project made by create-authkit-convex (it has ${MANIFEST_FILE}), so no new project is created inside it.` +
      (unfinished ? ` Its setup is not finished: ${SELF} . completes it.` : ''),
    `Add a feature with ${SELF} --add-webhooks or ${SELF} --add-sso; check its setup with ${SELF} doctor; ` +
      'to start another project, run the command outside this folder.',
  );
}
