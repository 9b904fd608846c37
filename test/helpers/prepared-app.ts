/**
 * A project that a real CLI run took as far as the install (create-next-app with the pinned
 * dependencies, one npm install), stopped there by real faults: the Convex stand-in refusing to create
 * the project, and the shadcn registry refusing shadcn's first request. Tests copy it and let the CLI resume from there, instead of paying for create-next-app
 * and npm install every time.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { expect } from 'vitest';
import { runCli } from './cli.js';
import type { World } from './world.js';

/** Where a prepared project stops: after `install` (the default), or after `create-app` (before the install). */
export type Stage = 'install' | 'create-app';
const bases = new Map<Stage, Promise<string>>();
const forever = 1000;

/**
 * Nothing of a world is in the project at these stages (WorkOS was only asked to verify the keys, and
 * Convex refused to create the project), so one base per stage serves every test file of the run: it
 * is kept in the run's scratch folder.
 */
async function makeBase(world: World, stage: Stage): Promise<string> {
  const name = `base-${stage}`;
  const cache = process.env.CAK_TEST_CACHE ?? mkdtempSync(path.join(os.tmpdir(), 'cak-base-'));
  const manifestFile = path.join(cache, name, 'authkit-convex.json');
  const done = await fs.readJson(manifestFile).catch(() => undefined);
  if (done?.completedSteps?.[stage] && !done.completedSteps['provision-convex'] && !done.completedSteps.shadcn) return path.join(cache, name);
  await fs.remove(path.join(cache, name));
  // Provisioning runs while the install does: stop it with a real fault before the project exists.
  world.convex.fail({ path: /\/create_project$/ }, { status: 400, body: { code: 'TestStop', message: 'stopped by the test world' }, times: forever });
  // shadcn runs beside the install too: stopped at its first request, it writes nothing and is left to
  // the tests (as far as the install means without shadcn's files).
  world.registry.fail({ path: '/init' }, { status: 503, times: forever });
  let env = world.env();
  if (stage === 'create-app') {
    // npx still fetches create-next-app through the registry stand-in; everything the install asks for fails.
    world.npm.fail({ path: /^\/(?!create-next-app$)/ }, { status: 503, times: forever });
    env = { ...env, ...world.npm.env(), npm_config_fetch_retries: '0' };
  }
  const run = await runCli([name, '--yes', '--no-git'], { cwd: cache, env, timeoutMs: 10 * 60_000 });
  world.clearFaults();
  const manifest = await fs.readJson(manifestFile).catch(() => undefined);
  const steps = manifest?.completedSteps ?? {};
  const wrong = stage === 'create-app' ? steps.install : !steps.install;
  if (run.exitCode !== 1 || !steps['create-app'] || wrong || steps['provision-convex'] || steps.shadcn || manifest.convexProject) {
    throw new Error(`could not prepare a base app at ${stage} (exit ${run.exitCode}):\n${run.all}`);
  }
  return path.join(cache, name);
}

/**
 * Gives a project that stopped before its install the node_modules and lockfile of the prepared
 * install (hard links), so its own `npm install` has nothing left to fetch. Same dependencies: both
 * come from the pinned version map.
 */
export async function borrowInstall(world: World, app: string): Promise<void> {
  if (!bases.has('install')) bases.set('install', makeBase(world, 'install'));
  const from = await bases.get('install')!;
  // Whatever a failed install left is replaced.
  await fs.remove(path.join(app, 'node_modules'));
  await execa('cp', ['-al', path.join(from, 'node_modules'), path.join(app, 'node_modules')]);
  // npm rewrites its hidden lockfile in place: that one must not be shared.
  const hidden = path.join(app, 'node_modules', '.package-lock.json');
  await fs.copy(hidden, hidden + '.copy');
  await fs.move(hidden + '.copy', hidden, { overwrite: true });
  await fs.copy(path.join(from, 'package-lock.json'), path.join(app, 'package-lock.json'));
}

/** A fresh copy of the prepared project, named `name` (the Convex project takes the directory's name). */
export async function preparedApp(world: World, name = 'my-app', stage: Stage = 'install'): Promise<string> {
  if (!bases.has(stage)) bases.set(stage, makeBase(world, stage));
  const from = await bases.get(stage)!;
  const dest = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-app-')), name);
  await fs.ensureDir(dest);
  world.trackApp(dest);
  // node_modules is hard-linked (read-only for these runs); everything else is a real copy.
  for (const entry of await fs.readdir(from)) {
    if (entry === 'node_modules') await execa('cp', ['-al', path.join(from, entry), path.join(dest, entry)]);
    else await fs.copy(path.join(from, entry), path.join(dest, entry));
  }
  const pkgFile = path.join(dest, 'package.json');
  await fs.writeJson(pkgFile, { ...(await fs.readJson(pkgFile)), name }, { spaces: 2 });
  return dest;
}

/** A prepared copy that the real CLI then finishes (`<name> --yes`): a complete project of the test's own. */
export async function finishedApp(world: World, name: string): Promise<string> {
  const app = await preparedApp(world, name);
  const created = await runCli([name, '--yes'], { cwd: path.dirname(app), env: world.env(), timeoutMs: 8 * 60_000 });
  expect(created.exitCode, created.all).toBe(0);
  return app;
}
