/**
 * A run of the CLI: resolve and check every input first, then run the steps. The same pipeline
 * creates a project, resumes a failed run (the manifest knows what is done), and adds a feature to a
 * project it made (--add-webhooks, --add-sso).
 */
import { cancelledDuring } from './errors.js';
import { printDryRun } from './dry-run.js';
import { addedFeatures, givenSettings } from './features/index.js';
import { readManifest } from './manifest.js';
import { clackAsker } from './options/ask.js';
import { isInteractive, resolveOptions, type RawOptions } from './options/resolve.js';
import { checkProductionKeys, checkProductionTarget, checkVercelHost, productionAsker, productionAuthDomain } from './options/production.js';
import { checkPackageManager } from './options/validate.js';
import { explainManagedProduction } from './options/workos-source.js';
import { runSteps } from './pipeline.js';
import { refuseProductionPreviewKeys } from './steps/previews/keys.js';
import { prepareRerun } from './rerun.js';
import { buildContext, registerSecrets } from './run-context.js';
import { keptRunLog, logFailure, openRunLog, removeRunLog } from './run-log.js';
import { onCancelSignals } from './signals.js';
import { cancelChildren } from './systems/runner.js';
import { steps } from './steps/index.js';
import { resolveTarget } from './target.js';
import { reportFatal } from './ui/fatal.js';
import { clackReporter, jsonReporter, plainReporter, type Reporter } from './ui/reporter.js';

export async function create(flags: RawOptions, cliVersion: string): Promise<number> {
  const interactive = isInteractive(flags, process.env, Boolean(process.stdin.isTTY));
  const addingProduction = Boolean(flags.addProduction);
  // --add-*, --add-production, or a setting (e.g. --workos-auth-domain) given inside a project of ours: an
  // update of that project. (With a directory, a project of ours resumes as it would without the setting.)
  const adding =
    addedFeatures(flags).length > 0 ||
    addingProduction ||
    (givenSettings(flags).length > 0 && flags.directory === undefined && (await readManifest(process.cwd())) !== undefined);

  const asker = interactive ? await clackAsker(`create-authkit-convex ${cliVersion}`) : undefined;
  // The target first: a bad one fails before any key prompt or network call.
  const target = await resolveTarget(flags, adding, asker, process.cwd());
  if (addingProduction) checkProductionTarget(flags, target);
  if (addingProduction) explainManagedProduction(flags, process.env, target.existing?.options.workosManaged === true);
  const options = await resolveOptions({
    flags: { ...flags, directory: target.directory },
    fallback: target.fallback,
    env: process.env,
    asker: asker && addingProduction ? productionAsker(asker) : asker,
    required: addingProduction ? ['domain'] : [],
    offerManaged: !addingProduction,
  });
  registerSecrets(options);
  refuseProductionPreviewKeys(options);
  if (addingProduction) await checkProductionKeys(options, target.directory);
  if (addingProduction) options.workosAuthDomain = productionAuthDomain(flags, options, target);
  checkVercelHost(options, target.directory);
  await checkPackageManager(options, process.cwd());
  const reporter: Reporter = options.json ? jsonReporter() : interactive ? await clackReporter() : plainReporter();
  const ctx = buildContext(options, target, { cliVersion, interactive, reporter, asker });
  const { projectDir } = ctx;
  const dirState = target.state;

  // --add-production changes no feature: its steps are idempotent and run every time it is given.
  if (adding && !addingProduction && !prepareRerun(ctx, steps)) {
    reporter.info(`Nothing to do: ${projectDir} already has ${ctx.manifest.features.join(', ')}.`);
    return 0;
  }
  if (options.dryRun) {
    await printDryRun(ctx, steps, dirState);
    return 0;
  }
  if (dirState === 'ours') reporter.info(`${addingProduction ? 'Setting up production for' : adding ? 'Updating' : 'Resuming'} the project in ${projectDir}.`);

  openRunLog(`create-authkit-convex ${cliVersion} in ${projectDir}, ${new Date().toISOString()}`);
  const showLog = () => {
    const kept = keptRunLog();
    if (kept) reporter.info(`Full log: ${kept}`);
  };
  // Ctrl-C, SIGTERM, SIGHUP: stop the running children; their steps then fail as cancelled and the
  // manifest is saved. Every write is atomic, so if nothing is running, leaving at once is safe too
  // (staging folders and the lock are removed at exit).
  let reported = false;
  const leave = () => {
    // The pipeline already ended (and said so): only a request still pending would hold the exit.
    if (reported) process.exit();
    const cancelled = cancelledDuring(ctx.runningSteps);
    logFailure(cancelled);
    showLog();
    reporter.close();
    process.exit(reportFatal(cancelled, options.json));
  };
  onCancelSignals(() => {
    // With a child running, its step fails as cancelled and the run ends through the pipeline (unless
    // an in-process request still holds it after 3 s). With none (e.g. a WorkOS request), leave now:
    // what finished is already in the manifest.
    if (cancelChildren()) setTimeout(leave, 3000).unref();
    else leave();
  });
  try {
    await runSteps(ctx, steps);
  } catch (error) {
    logFailure(error);
    showLog();
    throw error;
  } finally {
    reported = true;
    reporter.close();
  }
  removeRunLog();
  return 0;
}
