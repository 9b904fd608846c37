/**
 * The shadcn CLI, at the pinned version. It reads REGISTRY_URL from the environment (we pass ours
 * through untouched), which is how tests point it at a local registry.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fs from 'fs-extra';
import type { PackageManager } from '../options/schema.js';
import { SHADCN_VERSION } from '../versions.js';
import { execPackage } from './package-manager.js';
import type { RunOptions } from './runner.js';

/** The components our sign-in forms and pages are built from. */
export const SHADCN_COMPONENTS = ['button', 'input', 'label', 'card', 'separator'];

export async function shadcn(pm: PackageManager, args: string[], opts: RunOptions) {
  return execPackage(pm, `shadcn@${SHADCN_VERSION}`, args, { timeoutMs: 5 * 60_000, ...opts });
}

export async function initShadcn(pm: PackageManager, cwd: string, timeoutMs = 5 * 60_000) {
  // A resumed run may find init already done (the components failed after it): init only once.
  if (!existsSync(path.join(cwd, 'components.json'))) {
    // One command does both (one start of the CLI, one install check). Without --defaults, init stops
    // at a prompt and exits 0 having done nothing. `-b radix`: the default component library is Base
    // UI; our forms and the pinned deps (radix-ui) are Radix's.
    await shadcn(pm, ['init', '--yes', '--defaults', '-b', 'radix', ...SHADCN_COMPONENTS], { cwd, timeoutMs });
  } else {
    await shadcn(pm, ['add', ...SHADCN_COMPONENTS, '--yes', '--overwrite'], { cwd, timeoutMs });
  }
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** Every dependency package.json lists, as `field:name` → version range. */
export async function dependencySpecs(projectDir: string): Promise<Record<string, string>> {
  const pkg = await fs.readJson(path.join(projectDir, 'package.json'));
  return Object.fromEntries(DEPENDENCY_FIELDS.flatMap((field) => Object.entries<string>(pkg[field] ?? {}).map(([name, spec]) => [`${field}:${name}`, spec])));
}

/** The packages `after` lists (or lists at another range) that `before` did not. */
export function addedDependencies(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((key) => before[key] !== after[key]).map((key) => key.slice(key.indexOf(':') + 1));
}
