/**
 * Puts the local backend stand-in (main.ts) where the convex CLI looks for a downloaded binary:
 * `<HOME>/.cache/convex/binaries/<version>/convex-local-backend`, so the CLI uses it as is and
 * downloads nothing. The binary is a small shell script running main.ts with this Node and tsx.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LocalBackendState } from './main.js';

export type { LocalBackendState };

const here = path.dirname(fileURLToPath(import.meta.url));
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Where the CLI keeps the binary of `version` under `home`. */
export const localBackendPath = (home: string, version: string) => path.join(home, '.cache', 'convex', 'binaries', version, 'convex-local-backend');

export function installLocalBackend(home: string, version: string): string {
  const file = localBackendPath(home, version);
  mkdirSync(path.dirname(file), { recursive: true });
  const tsx = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
  // NODE_OPTIONS is dropped: the backend is a server of the world, not a process under test.
  writeFileSync(file, `#!/bin/sh\nunset NODE_OPTIONS\nexec ${quote(process.execPath)} --import ${quote(tsx)} ${quote(path.join(here, 'main.ts'))} "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** What a project's local backend holds (its state file in `.convex/local/default/`), if it ran. */
export function localBackendState(projectDir: string): LocalBackendState | undefined {
  const file = path.join(projectDir, '.convex', 'local', 'default', 'convex_local_backend.sqlite3');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LocalBackendState) : undefined;
}

/**
 * For `node --import`: answers the one question the convex CLI 1.49 asks of version.convex.dev
 * (`/v1/local_backend_version`, hard-coded, asked for every new local deployment) with the pinned
 * version, as the real service would answer with its latest.
 */
export const versionApiPreload = pathToFileURL(path.join(here, 'version-api.mjs')).href;
