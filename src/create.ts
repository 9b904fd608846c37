/** A create run: resolve and check every input first, then run the steps. */
import os from 'node:os';
import path from 'node:path';
import type { Context } from './context.js';
import { UsageError } from './errors.js';
import { newManifest, readManifest } from './manifest.js';
import { clackAsker } from './options/ask.js';
import { isInteractive, resolveOptions, type RawOptions } from './options/resolve.js';
import { manifestOptions, secretOptionNames } from './options/schema.js';
import { checkDirectory, checkPackageManager, checkPackageName } from './options/validate.js';
import { planText, runSteps } from './pipeline.js';
import { addSecret } from './secrets.js';
import { setLogFile } from './systems/runner.js';
import { steps } from './steps/index.js';
import { templateData } from './steps/render-templates.js';
import { featuresOf, renderTemplates } from './files/render.js';
import { clackReporter, jsonReporter, plainReporter, type Reporter } from './ui/reporter.js';

export async function create(flags: RawOptions, cliVersion: string): Promise<number> {
  const interactive = isInteractive(flags, process.env, Boolean(process.stdin.isTTY));
  const options = await resolveOptions({
    flags,
    env: process.env,
    asker: interactive ? await clackAsker() : undefined,
  });
  for (const name of secretOptionNames) addSecret(options[name] as string | undefined);

  if (options.addWebhooks || options.addSso) {
    throw new UsageError(
      `${options.addWebhooks ? '--add-webhooks' : '--add-sso'} is not yet available in this version.`,
      'Create a new project with --webhooks/--sso instead.',
    );
  }

  const projectDir = path.resolve(options.directory);
  checkPackageName(projectDir);
  const dirState = await checkDirectory(projectDir);
  await checkPackageManager(options, process.cwd());

  const reporter: Reporter = options.json
    ? jsonReporter()
    : interactive
      ? await clackReporter()
      : plainReporter();
  const manifest =
    (dirState === 'ours' ? await readManifest(projectDir) : undefined) ??
    newManifest(cliVersion, manifestOptions(options));
  const ctx: Context = {
    options,
    cliVersion,
    projectDir,
    pm: options.packageManager,
    reporter,
    manifest,
    interactive,
    files: new Map(),
  };

  if (options.dryRun) {
    reporter.note(`Plan for ${projectDir} (dry run: nothing is changed)`, planText(ctx, steps));
    const data = templateData(ctx);
    const files = [...(await renderTemplates(featuresOf(data), data)).keys()].sort();
    reporter.note(`Files the templates write (${files.length})`, files.join('\n') || '(none)');
    return 0;
  }
  if (dirState === 'ours') reporter.info(`Resuming the project in ${projectDir}.`);

  const logFile = path.join(os.tmpdir(), `create-authkit-convex-${Date.now()}.log`);
  setLogFile(logFile);
  try {
    await runSteps(ctx, steps);
  } catch (error) {
    reporter.info(`Full log: ${logFile}`);
    throw error;
  } finally {
    reporter.close();
  }
  return 0;
}
