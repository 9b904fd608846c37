/**
 * A full scaffold with pnpm, yarn 1, yarn 4 and bun against the offline world, as if started by
 * `<manager> create authkit-convex`: the manager's own frozen install from the lockfile shipped for it,
 * one-off runner and commands, then the app type-checks and builds. (Lint, the app's tests and the browser are npm's files' job:
 * they do not depend on the manager.)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { beforeAll, describe, expect, it } from 'vitest';
import { appDependencies, appDevDependencies, dependencyBuilds } from '../../src/versions.js';
import { lockRecordPath, shippedLockfilePath, type LockfileKind } from '../../src/systems/lockfile.js';
import { resolveLockfile } from '../../scripts/lockfiles/resolve.js';
import { execa } from 'execa';
import { runCli, type CliRun } from '../helpers/cli.js';
import { managerEnv, MANAGER_VERSIONS, type ManagerCase } from '../helpers/package-managers.js';
import { ciCommands } from '../helpers/app-checks.js';
import { useWorld } from '../helpers/use-world.js';

const world = useWorld();

const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];

interface Case {
  which: ManagerCase;
  command: string;
  lockfile: string;
  /** How a one-off package is run (create-next-app, shadcn). */
  exec: string[];
  /** The install command's arguments: the manager's frozen install, from the shipped lockfile. */
  install: string[];
  /** How the user runs a script: `bun test` would be Bun's own test runner. */
  run: string;
}

const cases: Case[] = [
  { which: 'pnpm', command: 'pnpm', lockfile: 'pnpm-lock.yaml', install: ['install', '--frozen-lockfile'], exec: ['pnpm', 'dlx'], run: 'pnpm' },
  // yarn 1 has no dlx: npx, which comes with Node.js.
  { which: 'yarn1', command: 'yarn', lockfile: 'yarn.lock', install: ['install', '--frozen-lockfile'], exec: ['npx', '--yes'], run: 'yarn' },
  { which: 'yarn4', command: 'yarn', lockfile: 'yarn.lock', install: ['install', '--immutable'], exec: ['yarn', 'dlx'], run: 'yarn' },
  { which: 'bun', command: 'bun', lockfile: 'bun.lock', install: ['install', '--frozen-lockfile'], exec: ['bunx'], run: 'bun run' },
];

describe.each(cases)('$which create authkit-convex', (c) => {
  let app: string;
  let argvLog: string;
  let env: Record<string, string>;
  let result: CliRun;
  /** A command in the app, with the manager on PATH. */
  const inApp = (cmd: string, args: string[]) =>
    execa(cmd, args, { cwd: app, env: { ...env, CI: 'true', NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1' }, all: true, reject: false, timeout: 5 * 60_000 });
  const spawned = (): Array<{ command: string; args: string[] }> =>
    readFileSync(argvLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  beforeAll(async () => {
    env = await managerEnv(c.which);
    const cwd = mkdtempSync(path.join(os.tmpdir(), `cak-${c.which}-`));
    // Not the name the shipped lockfiles were written for (my-app): placing one renames its root entry.
    app = path.join(cwd, 'acme-web');
    argvLog = path.join(cwd, 'argv.log');
    // No --package-manager: the user agent picks it, as with `pnpm create authkit-convex`.
    result = await runCli(['acme-web', '--yes', '--no-git'], {
      cwd,
      env: { ...world().env(), ...env, CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog },
      timeoutMs: 12 * 60_000,
    });
  }, 14 * 60_000);

  it('scaffolds with one install by that manager, and its own runner for one-off packages', () => {
    expect(result.exitCode, result.all).toBe(0);
    const calls = spawned();
    const installs = calls.filter((x) => ['npm', 'pnpm', 'yarn', 'bun'].includes(x.command) && x.args[0] === 'install');
    expect(installs).toEqual([expect.objectContaining({ command: c.command, args: c.install })]);
    const oneOff = calls.filter((x) => x.args.some((a) => /^(create-next-app|shadcn)@/.test(a)));
    expect(oneOff.length, JSON.stringify(calls)).toBeGreaterThanOrEqual(2);
    for (const x of oneOff) expect([x.command, ...x.args].slice(0, c.exec.length)).toEqual(c.exec);
  });

  it("writes that manager's lockfile and no other", async () => {
    const present = LOCKFILES.filter((f) => fs.existsSync(path.join(app, f)));
    expect(present).toEqual([c.lockfile]);
  });

  it('installs from the lockfile shipped for that manager: every pinned version, as the tests resolved it', async () => {
    expect(result.stdout).toContain('Install dependencies (from the shipped lockfile)');
    // The frozen install (which refuses to change the lockfile) passed on the shipped one, written for
    // an app named my-app: the same entries, the root one under this app's name.
    const shipped = await fs.readFile(shippedLockfilePath(c.which as LockfileKind), 'utf8');
    expect((await fs.readJson(lockRecordPath(c.which as LockfileKind))).name).toBe('my-app');
    const entries = (text: string) => text.replaceAll('acme-web', 'my-app').split('\n\n').sort();
    expect(entries(await fs.readFile(path.join(app, c.lockfile), 'utf8'))).toEqual(entries(shipped));
    const pkg = await fs.readJson(path.join(app, 'package.json'));
    const pins: Record<string, string> = { ...appDependencies, ...appDevDependencies };
    // create-next-app's exact pins (next, react, …) too.
    for (const [dep, spec] of Object.entries<string>({ ...pkg.dependencies, ...pkg.devDependencies })) if (/^\d+\.\d+\.\d+$/.test(spec)) pins[dep] = spec;
    for (const [dep, version] of Object.entries(pins)) {
      expect((await fs.readJson(path.join(app, 'node_modules', dep, 'package.json'))).version, dep).toBe(version);
    }
  });

  it("installs a lockfile made as the shipped ones are from its user's registry, asking it for the tarballs only", async () => {
    // A two-package project resolved the way `npm run lockfiles` does (against the configured registry)…
    const dir = mkdtempSync(path.join(os.tmpdir(), `cak-${c.which}-registry-`));
    const pkg: Record<string, unknown> = { name: 'tiny', private: true, dependencies: { 'is-number': '7.0.0', '@sindresorhus/is': '4.6.0' } };
    if (c.which === 'yarn4') pkg.packageManager = `yarn@${MANAGER_VERSIONS.yarn4}`;
    await fs.writeJson(path.join(dir, 'package.json'), pkg);
    if (c.which === 'yarn4') await fs.writeFile(path.join(dir, '.yarnrc.yml'), 'nodeLinker: node-modules\n');
    await fs.writeFile(path.join(dir, c.lockfile), await resolveLockfile(c.which, dir, env, env.npm_config_registry!));
    await fs.remove(path.join(dir, 'node_modules'));
    // …then installed frozen by a user whose registry is another (the stand-in), with empty caches.
    const registry = world().npm;
    const url = registry.url;
    const caches = mkdtempSync(path.join(os.tmpdir(), 'cak-caches-'));
    const userEnv = {
      ...env,
      CI: 'true',
      ...{ npm_config_registry: url, pnpm_config_registry: url, YARN_REGISTRY: url, YARN_NPM_REGISTRY_SERVER: url.replace(/\/$/, ''), BUN_CONFIG_REGISTRY: url },
      YARN_UNSAFE_HTTP_WHITELIST: new URL(url).hostname,
      pnpm_config_store_dir: path.join(caches, 'pnpm'),
      npm_config_store_dir: path.join(caches, 'pnpm'),
      YARN_CACHE_FOLDER: path.join(caches, 'yarn1'),
      YARN_GLOBAL_FOLDER: path.join(caches, 'yarn4'),
      BUN_INSTALL_CACHE_DIR: path.join(caches, 'bun'),
    };
    const before = registry.requests.length;
    const install = await execa(c.command, c.install, { cwd: dir, env: userEnv, all: true, reject: false, timeout: 2 * 60_000 });
    expect(install.exitCode, install.all).toBe(0);
    // No metadata asked (nothing resolved), every tarball from the user's registry (yarn 4 writes the scope's / as %2f).
    expect(registry.requests.slice(before).map((r) => decodeURIComponent(r.path)).sort()).toEqual(['/@sindresorhus/is/-/is-4.6.0.tgz', '/is-number/-/is-number-7.0.0.tgz']);
    expect((await fs.readJson(path.join(dir, 'node_modules/is-number/package.json'))).version).toBe('7.0.0');
    await Promise.all([fs.remove(dir), fs.remove(caches)]);
  });

  it('lets only the listed dependencies run build scripts, the way the manager expects', async () => {
    const pkg = await fs.readJson(path.join(app, 'package.json'));
    const allowed = Object.keys(dependencyBuilds).filter((d) => dependencyBuilds[d]);
    const workspace = path.join(app, 'pnpm-workspace.yaml');
    if (c.which === 'pnpm') {
      const text = await fs.readFile(workspace, 'utf8');
      for (const [name, built] of Object.entries(dependencyBuilds)) expect(text).toContain(`  ${name}: ${built}\n`);
    } else {
      expect(fs.existsSync(workspace)).toBe(false);
    }
    expect(pkg.trustedDependencies).toEqual(c.which === 'bun' ? allowed : undefined);
    if (c.which === 'yarn4') {
      expect(pkg.packageManager).toBe(`yarn@${MANAGER_VERSIONS.yarn4}`);
      expect(await fs.readFile(path.join(app, '.yarnrc.yml'), 'utf8')).toMatch(/^nodeLinker: node-modules$/m);
      expect(pkg.dependenciesMeta.esbuild).toEqual({ built: true });
      expect(fs.existsSync(path.join(app, '.pnp.cjs'))).toBe(false);
    }
    if (c.which === 'yarn1') expect(pkg.packageManager).toBe(`yarn@${MANAGER_VERSIONS.yarn1}`);
    // esbuild, which convex bundles with, works where convex finds it (pnpm does not hoist it).
    const script = 'require("node:module").createRequire(require.resolve("convex"))("esbuild").transformSync("let a: number = 1", { loader: "ts" })';
    const esbuild = await inApp(process.execPath, ['-e', script]);
    expect(esbuild.exitCode, esbuild.all).toBe(0);
  });

  it("gives that manager's commands in the next steps and the README", async () => {
    expect(result.stdout).toContain(`${c.run} dev`);
    const readme = await fs.readFile(path.join(app, 'README.md'), 'utf8');
    expect(readme).toContain(`${c.run} dev `);
    expect(readme).toContain(`${c.run} test `);
    expect(readme).not.toMatch(/\bnpm run\b/);
    // One-off packages: yarn 1 has only npx.
    if (c.which !== 'yarn1') expect(readme).not.toMatch(/\bnpx\b/);
  });

  it("ships a CI workflow that installs from the lockfile and checks through that manager", async () => {
    const commands = await ciCommands(app);
    const frozen = { pnpm: '--frozen-lockfile', yarn1: '--frozen-lockfile', yarn4: '--immutable', bun: '--frozen-lockfile' }[c.which];
    expect(commands[0]).toBe(`${c.command} install ${frozen}`);
    expect(commands).toContain(`${c.run} lint`);
    expect(commands).toContain(`${c.run} test`);
    expect(commands.join('\n')).not.toMatch(/\bnpm\b|\bnpx\b/);
  });

  it('type-checks, and builds offline through the manager', async () => {
    for (const args of [['next', 'typegen'], ['tsc', '--noEmit']]) {
      const r = await inApp(path.join(app, 'node_modules/.bin', args[0]!), args.slice(1));
      expect(r.exitCode, `${args.join(' ')}\n${r.all}`).toBe(0);
    }
    const [cmd, ...runArgs] = c.run.split(' ');
    const build = await inApp(cmd!, [...(runArgs.length ? runArgs : ['run']), 'build']);
    expect(build.exitCode, build.all).toBe(0);
    expect(fs.existsSync(path.join(app, 'package-lock.json'))).toBe(false);
  }, 6 * 60_000);
});
