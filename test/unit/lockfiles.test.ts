/**
 * The lockfiles shipped in templates/lockfiles/ against the version map: each must resolve exactly the
 * package.json a default run writes for its manager (made here the way the run makes it, with the real
 * create-next-app and the manager's settings), every pin to itself, and name no registry. Fix a
 * failure with `npm run lockfiles`.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAppPackage } from '../../scripts/lockfiles/app-package.js';
import { registryUrlsIn } from '../../scripts/lockfiles/host-neutral.js';
import {
  LOCKED_FIELDS,
  lockRecordPath,
  matchedFields,
  placeShippedLockfile,
  shippedLockfilePath,
  type LockfileKind,
  type LockRecord,
} from '../../src/systems/lockfile.js';
import { configureProject } from '../../src/systems/package-manager.js';
import { features } from '../../src/features/index.js';
import { appDependencies, appDevDependencies } from '../../src/versions.js';
import { bunRegistries, readLockfile } from '../helpers/lockfile-read.js';
import { MANAGER_VERSIONS } from '../helpers/package-managers.js';

type Entry = { version?: string; resolved?: string; [field: string]: unknown };
const lockFile = shippedLockfilePath('npm');
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

/** Every exact pin of the default package.json: the version map's and create-next-app's own (next, react, …). */
function pins(): Record<string, string> {
  const out = { ...appDependencies, ...appDevDependencies };
  for (const field of ['dependencies', 'devDependencies'] as const) {
    for (const [name, spec] of Object.entries((pkg[field] ?? {}) as Record<string, string>)) if (/^\d+\.\d+\.\d+/.test(spec)) out[name] = spec;
  }
  expect(Object.keys(out).length).toBeGreaterThan(Object.keys(appDependencies).length);
  return out;
}

describe('the shipped npm lockfile', () => {
  it('resolves exactly the dependencies of the package.json a default run writes', () => {
    const root = lock.packages['']!;
    for (const field of LOCKED_FIELDS) expect(root[field] ?? {}, `${field}: run \`npm run lockfiles\``).toEqual(pkg[field] ?? {});
  });

  it('resolves every pinned direct dependency to its pin', () => {
    for (const [name, version] of Object.entries(pins())) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
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
    expect(await placeShippedLockfile('npm', dir)).toEqual({ placed: true });
    const placed = await fs.readJson(path.join(dir, 'package-lock.json'));
    expect(placed.name).toBe('their-app');
    expect(placed.packages[''].name).toBe('their-app');
    expect(placed.packages).toEqual({ ...lock.packages, '': { ...lock.packages['']!, name: 'their-app' } });
    expect((await placeShippedLockfile('npm', dir)).placed).toBe(true);
  });

  it('leaves it out when a dependency differs, and for the other managers', async () => {
    const extra = await project((p) => (p.dependencies['left-pad'] = '1.3.0'));
    expect(await placeShippedLockfile('npm', extra)).toMatchObject({ placed: false, why: expect.stringContaining('differ') });
    const changed = await project((p) => (p.devDependencies.vitest = '5.0.0'));
    expect((await placeShippedLockfile('npm', changed)).placed).toBe(false);
    const same = await project();
    // pnpm gets its own (pnpm-lock.yaml), never npm's.
    expect((await placeShippedLockfile('pnpm', same, '12.21.0')).placed).toBe(true);
    for (const dir of [extra, changed, same]) expect(await fs.pathExists(path.join(dir, 'package-lock.json'))).toBe(false);
  });

  it('never replaces a lockfile of the project’s own', async () => {
    const dir = await project();
    await fs.writeFile(path.join(dir, 'package-lock.json'), '{"theirs":true}\n');
    expect((await placeShippedLockfile('npm', dir)).placed).toBe(false);
    expect(await fs.readFile(path.join(dir, 'package-lock.json'), 'utf8')).toBe('{"theirs":true}\n');
  });
});

describe('the one shipped set', () => {
  it("holds every feature's dependencies (organizations, SSO, previews, … add none beyond it), so any choice installs from it", () => {
    for (const feature of features) {
      for (const field of ['dependencies', 'devDependencies'] as const) {
        for (const [name, version] of Object.entries(feature[field] ?? {})) expect((pkg[field] as Record<string, string>)[name], `${feature.id}: ${name}`).toBe(version);
      }
    }
  });
});

type Other = Exclude<LockfileKind, 'npm'>;
const others: Array<{ kind: Other; pm: 'pnpm' | 'yarn' | 'bun' }> = [
  { kind: 'pnpm', pm: 'pnpm' },
  { kind: 'yarn1', pm: 'yarn' },
  { kind: 'yarn4', pm: 'yarn' },
  { kind: 'bun', pm: 'bun' },
];

describe.each(others)('the shipped $kind lockfile', ({ kind, pm }) => {
  const version = MANAGER_VERSIONS[kind];
  let record: LockRecord;
  let text: string;
  /** The app's package.json as a run under this manager writes it (its settings added). */
  let managed: Record<string, any>;

  /** A project with that package.json (edited), named `their-app`. */
  async function project(edit: (p: Record<string, any>) => void = () => {}): Promise<string> {
    const dir = mkdtempSync(path.join(tmp, `${kind}-`));
    const copy = structuredClone(managed);
    copy.name = 'their-app';
    edit(copy);
    await fs.writeJson(path.join(dir, 'package.json'), copy, { spaces: 2 });
    return dir;
  }

  beforeAll(async () => {
    record = await fs.readJson(lockRecordPath(kind));
    text = await fs.readFile(shippedLockfilePath(kind), 'utf8');
    const dir = mkdtempSync(path.join(tmp, `${kind}-app-`));
    await fs.writeJson(path.join(dir, 'package.json'), pkg);
    const agent = process.env.npm_config_user_agent;
    // configureProject writes what this version of the manager needs (yarn's packageManager and linker).
    process.env.npm_config_user_agent = `${pm}/${version} npm/? node/? linux x64`;
    try {
      await configureProject(pm, dir);
    } finally {
      process.env.npm_config_user_agent = agent;
    }
    managed = await fs.readJson(path.join(dir, 'package.json'));
  });

  it('was written by the tested version of the manager, for the package.json a default run writes', () => {
    expect(record.manager, 'run `npm run lockfiles`').toBe(`${pm}@${version}`);
    expect(record.fields, 'run `npm run lockfiles`').toEqual(matchedFields(managed));
    expect(record.name).toBe(pkg.name);
  });

  it('resolves every dependency of that package.json, each pin to its pin', () => {
    const lock = readLockfile(kind, text);
    for (const [name, pin] of Object.entries(pins())) expect(lock.resolved(name, pin), `${name}: run \`npm run lockfiles\``).toBe(pin);
    const asked = { ...(managed.dependencies as object), ...(managed.devDependencies as object) } as Record<string, string>;
    for (const [name, spec] of Object.entries(asked)) expect(lock.resolved(name, spec), `${name}@${spec}`).toMatch(/^\d+\.\d+\.\d+/);
    // Where the lockfile lists the root's own dependencies, they are exactly package.json's.
    if (kind === 'yarn4') expect(lock.root).toEqual({ all: asked });
    if (kind === 'pnpm' || kind === 'bun') {
      for (const field of LOCKED_FIELDS) expect(lock.root[field] ?? {}, field).toEqual(managed[field] ?? {});
    }
  });

  it('names no registry: the manager fetches from the one its user configured', async () => {
    expect(registryUrlsIn(text)).toEqual([]);
    const registry = (await execa('npm', ['config', 'get', 'registry'])).stdout.trim();
    expect(text.includes(new URL(registry).host)).toBe(false);
    if (kind === 'bun') expect(new Set(bunRegistries(text))).toEqual(new Set(['']));
    // yarn 1 keeps each tarball's path, resolved against the user's registry.
    if (kind === 'yarn1') expect(text).toMatch(/\n {2}resolved "convex\/-\/convex-\d+\.\d+\.\d+\.tgz#[0-9a-f]{40}"\n/);
  });

  it('is placed, named as the project, when package.json is exactly its set for this version; again on a rerun', async () => {
    const dir = await project();
    expect(await placeShippedLockfile(pm, dir, version)).toEqual({ placed: true });
    const placed = await fs.readFile(path.join(dir, path.basename(shippedLockfilePath(kind))), 'utf8');
    if (kind === 'yarn4' || kind === 'bun') {
      expect(placed).not.toContain('my-app');
      const entries = (t: string) => t.split('\n\n');
      expect(entries(placed.replaceAll('their-app', 'my-app')).sort()).toEqual(entries(text).sort());
      if (kind === 'yarn4') {
        // yarn 4 --immutable refuses a file it would write in another order: entries sorted by key.
        const keys = entries(placed).slice(2).map((e) => e.slice(0, e.indexOf('\n')).replace(/^"|":$|:$/g, ''));
        expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        expect(keys).toContain('their-app@workspace:.');
      }
      expect(placed).toContain(kind === 'bun' ? '"name": "their-app"' : '"their-app@workspace:."');
    } else {
      expect(placed).toBe(text);
    }
    expect((await placeShippedLockfile(pm, dir, version)).placed).toBe(true);
  });

  it('is left out when a dependency or the manager version differs, or the project has its own', async () => {
    const extra = await project((p) => (p.dependencies['left-pad'] = '1.3.0'));
    expect(await placeShippedLockfile(pm, extra, version)).toMatchObject({ placed: false, why: expect.stringContaining('differ') });
    const major = `${Number(version.split('.')[0]) + 1}.0.0`;
    const same = await project();
    expect(await placeShippedLockfile(pm, same, major)).toMatchObject({ placed: false });
    const file = path.join(same, path.basename(shippedLockfilePath(kind)));
    expect(fs.existsSync(file)).toBe(false);
    await fs.writeFile(file, '# theirs\n');
    expect((await placeShippedLockfile(pm, same, version)).placed).toBe(false);
    expect(await fs.readFile(file, 'utf8')).toBe('# theirs\n');
    if (kind === 'yarn4' || kind === 'bun') {
      // A newer minor may write another lockfile version, which its frozen install would refuse.
      const [maj, min] = version.split('.');
      expect((await placeShippedLockfile(pm, await project(), `${maj}.${Number(min) + 1}.0`)).placed).toBe(false);
    }
  });
});
