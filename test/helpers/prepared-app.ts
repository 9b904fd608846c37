/**
 * A project that a real CLI run took as far as the fonts step (create-next-app, one install, shadcn,
 * fonts), stopped there by a real fault: the Convex stand-in refusing to create the project. Tests copy it and
 * let the CLI resume from there, instead of paying for create-next-app and npm install every time.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { runCli } from './cli.js';
import type { World } from './world.js';

/** Where a prepared project stops: after `fonts` (the default), or after `install` (before shadcn). */
export type Stage = 'fonts' | 'install';
const bases = new Map<Stage, Promise<string>>();

/**
 * Nothing of a world is in the project at these steps (WorkOS was only asked to verify the keys), so
 * one base per stage serves every test file of the run: it is kept in the run's scratch folder.
 */
async function makeBase(world: World, stage: Stage): Promise<string> {
  const name = `base-${stage}`;
  const next = stage === 'fonts' ? 'provision-convex' : 'shadcn';
  const cache = process.env.CAK_TEST_CACHE ?? mkdtempSync(path.join(os.tmpdir(), 'cak-base-'));
  const manifestFile = path.join(cache, name, 'authkit-convex.json');
  const done = await fs.readJson(manifestFile).catch(() => undefined);
  if (done?.completedSteps?.[stage] && !done.completedSteps[next]) return path.join(cache, name);
  await fs.remove(path.join(cache, name));
  // Stop with a real fault of the next outside step: before the Convex project exists, or before shadcn.
  if (stage === 'fonts') {
    world.convex.fail({ path: /\/create_project$/ }, { status: 400, body: { code: 'TestStop', message: 'stopped by the test world' }, times: 1000 });
  } else {
    world.registry.fail({ path: /.*/ }, { status: 503, times: 1000 });
  }
  const run = await runCli([name, '--yes', '--no-git'], { cwd: cache, env: world.env(), timeoutMs: 10 * 60_000 });
  world.convex.clearFaults();
  world.registry.clearFaults();
  const manifest = await fs.readJson(manifestFile).catch(() => undefined);
  if (run.exitCode !== 1 || !manifest?.completedSteps?.[stage] || manifest.completedSteps[next] || manifest.convexProject) {
    throw new Error(`could not prepare a base app at ${stage} (exit ${run.exitCode}):\n${run.all}`);
  }
  return path.join(cache, name);
}

/** A fresh copy of the prepared project, named `name` (the Convex project takes the directory's name). */
export async function preparedApp(world: World, name = 'my-app', stage: Stage = 'fonts'): Promise<string> {
  if (!bases.has(stage)) bases.set(stage, makeBase(world, stage));
  const from = await bases.get(stage)!;
  const dest = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-app-')), name);
  await fs.ensureDir(dest);
  // node_modules is hard-linked (read-only for these runs); everything else is a real copy.
  for (const entry of await fs.readdir(from)) {
    if (entry === 'node_modules') await execa('cp', ['-al', path.join(from, entry), path.join(dest, entry)]);
    else await fs.copy(path.join(from, entry), path.join(dest, entry));
  }
  const pkgFile = path.join(dest, 'package.json');
  await fs.writeJson(pkgFile, { ...(await fs.readJson(pkgFile)), name }, { spaces: 2 });
  return dest;
}
