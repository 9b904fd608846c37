/** A run's context, built once every input is resolved and checked (before any step runs). */
import type { Context } from './context.js';
import { addedFeatures, missingRequirement, optionName } from './features/index.js';
import { UsageError } from './errors.js';
import { newManifest } from './manifest.js';
import { noAsker, type Asker } from './options/ask.js';
import type { Options } from './options/schema.js';
import { manifestOptions, secretOptionNames } from './options/schema.js';
import { addSecret, addSecretsFromEnv } from './secrets.js';
import { accessToken } from './systems/convex.js';
import type { Target } from './target.js';
import type { Reporter } from './ui/reporter.js';

/** Secrets are known before anything can print them: the options', the environment's, the Convex login's. */
export function registerSecrets(options: Options): void {
  for (const name of secretOptionNames) addSecret(options[name] as string | undefined);
  addSecretsFromEnv(process.env);
  accessToken();
}

export function buildContext(
  options: Options,
  target: Target,
  run: { cliVersion: string; interactive: boolean; reporter: Reporter; asker?: Asker },
): Context {
  // --add-<feature> turns the feature on, on top of what the project has (its manifest's options).
  for (const feature of addedFeatures(options)) options[optionName(feature)] = true;
  const missing = missingRequirement(options);
  if (missing) {
    const { feature, requires } = missing;
    throw new UsageError(
      `--${feature.id} needs ${requires.id} (${requires.option?.description ?? requires.id}), which ${target.existing ? 'this project does not have' : 'this run leaves out'}.`,
      target.existing ? `Add both: create-authkit-convex --add-${requires.id} --add-${feature.id}` : `Drop --no-${requires.id}.`,
    );
  }
  const manifest = target.existing ?? newManifest(run.cliVersion, manifestOptions(options));
  return {
    options,
    cliVersion: run.cliVersion,
    projectDir: target.directory,
    pm: options.packageManager,
    reporter: run.reporter,
    manifest,
    interactive: run.interactive,
    ask: run.asker ?? noAsker,
    files: new Map(),
    timeoutMs: options.timeout * 1000,
    runningSteps: [],
  };
}
