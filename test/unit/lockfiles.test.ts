/**
 * The lockfile shipped in templates/lockfiles/ against the version map: it must resolve exactly the
 * package.json a default run writes (made here the way the run makes it, with the real create-next-app),
 * every pin to itself, and name no registry. Fix a failure with `npm run lockfiles`.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAppPackage } from '../../scripts/lockfiles/app-package.js';
import { LOCKED_FIELDS, placeShippedLockfile, shippedLockfilePath } from '../../src/systems/lockfile.js';
import { appDependencies, appDevDependencies } from '../../src/versions.js';

type Entry = { version?: string; resolved?: string; [field: string]: unknown };
const lockFile = shippedLockfilePath('npm')!;
let lock: { name: string; packages: Record<string, Entry> };
let tmp: string;
let pkg: Record<string, unknown>;

beforeAll(async () => {
  lock = await fs.readJson(lockFile);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cak-lockfiles-'));
  const app = await generateAppPackage(tmp, 'npm');
  pkg = await fs.readJson(path.join(app, 'package.json'));
}, 5 * 60_000);

afterAll(() => fs.remove(tmp));

describe('the shipped npm lockfile', () => {
  it('resolves exactly the dependencies of the package.json a default run writes', () => {
    const root = lock.packages['']!;
    for (const field of LOCKED_FIELDS) expect(root[field] ?? {}, `${field}: run \`npm run lockfiles\``).toEqual(pkg[field] ?? {});
  });

  it('resolves every pinned direct dependency to its pin', () => {
    const pins = { ...appDependencies, ...appDevDependencies };
    // create-next-app's own exact pins (next, react, …) too.
    for (const field of ['dependencies', 'devDependencies'] as const) {
      for (const [name, spec] of Object.entries((pkg[field] ?? {}) as Record<string, string>)) if (/^\d+\.\d+\.\d+/.test(spec)) pins[name] = spec;
    }
    expect(Object.keys(pins).length).toBeGreaterThan(Object.keys(appDependencies).length);
    for (const [name, version] of Object.entries(pins)) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
  });

  it('names no registry: npm ci fetches from the one the user configured', async () => {
    const withUrl = Object.keys(lock.packages).filter((key) => lock.packages[key]!.resolved !== undefined);
    expect(withUrl).toEqual([]);
    const registry = (await execa('npm', ['config', 'get', 'registry'])).stdout.trim();
    const text = await fs.readFile(lockFile, 'utf8');
    expect(text.includes(new URL(registry).host)).toBe(false);
  });
});

describe('placing the shipped lockfile', () => {
  async function project(edit: (p: Record<string, any>) => void = () => {}): Promise<string> {
    const dir = mkdtempSync(path.join(tmp, 'project-'));
    const copy = structuredClone(pkg) as Record<string, any>;
    copy.name = 'their-app';
    edit(copy);
    await fs.writeJson(path.join(dir, 'package.json'), copy, { spaces: 2 });
    return dir;
  }

  it('puts it in, named as the project, when package.json is exactly its set; again on a rerun', async () => {
    const dir = await project();
    expect(await placeShippedLockfile('npm', dir)).toBe(true);
    const placed = await fs.readJson(path.join(dir, 'package-lock.json'));
    expect(placed.name).toBe('their-app');
    expect(placed.packages[''].name).toBe('their-app');
    expect(placed.packages).toEqual({ ...lock.packages, '': { ...lock.packages['']!, name: 'their-app' } });
    expect(await placeShippedLockfile('npm', dir)).toBe(true);
  });

  it('leaves it out when a dependency differs, and for the other managers', async () => {
    const extra = await project((p) => (p.dependencies['left-pad'] = '1.3.0'));
    expect(await placeShippedLockfile('npm', extra)).toBe(false);
    const changed = await project((p) => (p.devDependencies.vitest = '5.0.0'));
    expect(await placeShippedLockfile('npm', changed)).toBe(false);
    const same = await project();
    expect(await placeShippedLockfile('pnpm', same)).toBe(false);
    for (const dir of [extra, changed, same]) expect(await fs.pathExists(path.join(dir, 'package-lock.json'))).toBe(false);
  });

  it('never replaces a lockfile of the project’s own', async () => {
    const dir = await project();
    await fs.writeFile(path.join(dir, 'package-lock.json'), '{"theirs":true}\n');
    expect(await placeShippedLockfile('npm', dir)).toBe(false);
    expect(await fs.readFile(path.join(dir, 'package-lock.json'), 'utf8')).toBe('{"theirs":true}\n');
  });
});
