/**
 * The package.json a default run gives the app, made the way the run makes it: create-next-app at the
 * pinned version (no install), every dependency of the default features added, the manager's settings.
 */
import path from 'node:path';
import fs from 'fs-extra';
import type { PackageManager } from '../../src/options/schema.js';
import { addDependencies } from '../../src/steps/create-app.js';
import { createNextApp } from '../../src/systems/create-next-app.js';
import { configureProject } from '../../src/systems/package-manager.js';
import { features } from '../../src/features/index.js';

/** The features a run has when no option names any: every one without an option or on by default. */
export const defaultFeatures = () => features.filter((f) => !f.option || f.option.default);

/** Writes the app's package.json (and create-next-app's other files) into `dir/<name>`; returns the app folder. */
export async function generateAppPackage(dir: string, pm: PackageManager, name = 'my-app'): Promise<string> {
  const app = path.join(dir, name);
  await createNextApp(app, pm, { timeoutMs: 5 * 60_000 });
  await addDependencies(app, defaultFeatures());
  await configureProject(pm, app);
  return app;
}

export async function readAppPackage(app: string): Promise<Record<string, unknown>> {
  return fs.readJson(path.join(app, 'package.json'));
}

