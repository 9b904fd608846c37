/**
 * A run of the CLI: resolve and check every input first, then run the steps. The same pipeline
 * creates a project, resumes a failed run (the manifest knows what is done), and adds a feature to a
 * project it made (--add-webhooks, --add-sso).
 */
import path from 'node:path';
import type { Context } from './context.js';
import { cancelledDuring, UsageError } from './errors.js';
import { featuresOf, renderTemplates } from './files/render.js';
import { diffAgainstDisk } from './files/tree.js';
import { newManifest } from './manifest.js';
import { clackAsker, noAsker } from './options/ask.js';
import { isInteractive, resolveOptions, type RawOptions } from './options/resolve.js';
import { manifestOptions, secretOptionNames } from './options/schema.js';
import { checkPackageManager } from './options/validate.js';
import { isDone, planText, redo, runSteps } from './pipeline.js';
import { keptRunLog, openRunLog, removeRunLog } from './run-log.js';
import { addSecret, addSecretsFromEnv } from './secrets.js';
import { onCancelSignals } from './signals.js';
import { accessToken } from './systems/convex.js';
import { cancelChildren } from './systems/runner.js';
import { steps } from './steps/index.js';
import { resolveTarget } from './target.js';
import { templateData } from './steps/render-templates.js';
import { reportFatal } from './ui/fatal.js';
import { clackReporter, jsonReporter, plainReporter, type Reporter } from './ui/reporter.js';

/** Steps that an added feature must run again: its files (which ask for a push when convex/ changed). */
const RERUN_STEPS = ['templates'];

export async function create(flags: RawOptions, cliVersion: string): Promise<number> {
  const interactive = isInteractive(flags, process.env, Boolean(process.stdin.isTTY));
  const adding = Boolean(flags.addWebhooks || flags.addSso);

  const asker = interactive ? await clackAsker(`create-authkit-convex ${cliVersion}`) : undefined;
  // The target first: a bad one fails before any key prompt or network call.
  const target = await resolveTarget(flags, adding, asker, process.cwd());
  const existing = target.existing;
  const options = await resolveOptions({ flags: { ...flags, directory: target.directory }, fallback: target.fallback, env: process.env, asker });
  for (const name of secretOptionNames) addSecret(options[name] as string | undefined);
  addSecretsFromEnv(process.env);
  accessToken();
  if (options.addWebhooks) options.webhooks = true;
  if (options.addSso) options.sso = true;

  const projectDir = target.directory;
  const dirState = target.state;
  await checkPackageManager(options, process.cwd());

  const reporter: Reporter = options.json ? jsonReporter() : interactive ? await clackReporter() : plainReporter();
  const manifest = existing ?? newManifest(cliVersion, manifestOptions(options));
  const ctx: Context = { options, cliVersion, projectDir, pm: options.packageManager, reporter, manifest, interactive, ask: asker ?? noAsker, files: new Map(), timeoutMs: options.timeout * 1000, runningSteps: [] };

  if (adding) {
    const wanted = featuresOf(templateData(ctx));
    const missing = wanted.filter((f) => !manifest.features.includes(f));
    const unfinished = steps.some((s) => !isDone(ctx, s.id) && !s.printsOnly && !s.skipReason?.(ctx));
    // --add-webhooks on a project that has them repairs them: the WorkOS and deployment steps run every time.
    if (missing.length === 0 && !unfinished && !options.addWebhooks) {
      reporter.info(`Nothing to do: ${projectDir} already has ${manifest.features.join(', ')}.`);
      return 0;
    }
    redo(ctx, RERUN_STEPS);
    manifest.options = { ...manifest.options, ...manifestOptions(options) };
  }

  if (options.dryRun) {
    reporter.note(`Plan for ${projectDir} (dry run: nothing is changed)`, planText(ctx, steps));
    const data = templateData(ctx);
    const tree = await renderTemplates(featuresOf(data), data);
    if (dirState === 'ours') {
      const diffs = await diffAgainstDisk(projectDir, tree);
      reporter.note(`Files that would change (${diffs.length})`, diffs.map((d) => d.patch).join('\n') || '(none)');
    } else {
      reporter.note(`Files the templates write (${tree.size})`, [...tree.keys()].sort().join('\n'));
    }
    return 0;
  }
  if (dirState === 'ours') reporter.info(`${adding ? 'Updating' : 'Resuming'} the project in ${projectDir}.`);

  openRunLog();
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
    showLog();
    reporter.close();
    process.exit(reportFatal(cancelledDuring(ctx.runningSteps), options.json));
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
    showLog();
    throw error;
  } finally {
    reported = true;
    reporter.close();
  }
  removeRunLog();
  return 0;
}
