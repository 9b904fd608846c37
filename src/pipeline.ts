/** Runs the ordered steps, records each completion in the manifest, and resumes after a failure. */
import fs from 'fs-extra';
import path from 'node:path';
import type { Context, Step, StepResult } from './context.js';
import { CancelledError, cancelledDuring, CliError, StepError } from './errors.js';
import { MANIFEST_FILE, saveManifest } from './manifest.js';
import { CommandFailedError } from './systems/runner.js';

/** Whether a step finished in this run or an earlier one (the manifest is the record). */
export function isDone(ctx: Pick<Context, 'manifest'>, id: string): boolean {
  return Boolean(ctx.manifest.completedSteps[id]);
}

/** Forget these steps' completions, so that the pipeline runs them again when it reaches them. */
export function redo(ctx: Pick<Context, 'manifest'>, ids: Iterable<string>): void {
  for (const id of ids) delete ctx.manifest.completedSteps[id];
}

/** Done earlier and not one that runs every time: the pipeline passes it by. */
function doneEarlier(ctx: Pick<Context, 'manifest'>, step: Step): boolean {
  return isDone(ctx, step.id) && !step.always && !step.printsOnly;
}

function markDone(ctx: Pick<Context, 'manifest'>, id: string): void {
  ctx.manifest.completedSteps[id] = new Date().toISOString();
}

/** The steps of this kind of run (see Step.appliesTo). */
export const stepsFor = (ctx: Context, steps: Step[]): Step[] => steps.filter((s) => s.appliesTo?.(ctx) ?? true);

export function planText(ctx: Context, steps: Step[]): string {
  return stepsFor(ctx, steps)
    .map((step, i) => {
      const n = String(i + 1).padStart(2);
      if (doneEarlier(ctx, step)) return `${n}. ${step.title}: done earlier`;
      const skip = step.skipReason?.(ctx);
      return `${n}. ${step.title}: ${skip ? `skipped (${skip})` : step.describe(ctx)}`;
    })
    .join('\n');
}

export async function runSteps(ctx: Context, steps: Step[]): Promise<void> {
  // Ctrl-C stops every running step at once (a background one and the one in front): the message names
  // them all, in the list's order.
  const cancelled: Step[] = [];
  try {
    await runAll(ctx, steps, (step) => cancelled.push(step));
  } catch (error) {
    if (error instanceof CancelledError && cancelled.length > 1) {
      throw cancelledDuring(steps.filter((s) => cancelled.includes(s)).map((s) => s.title));
    }
    throw error;
  }
}

async function runAll(ctx: Context, steps: Step[], onCancelled: (step: Step) => void): Promise<void> {
  // Saves one after another: steps can finish at the same time, and each save writes the whole manifest.
  let saving: Promise<void> = Promise.resolve();
  const persist = () => (saving = saving.then(() => save(ctx)));
  // A `background` step starts and lets the next steps run; a step that `waitsFor` it awaits it first.
  const background = new Map<string, Promise<void>>();
  const finished = new Set<string>();
  const settleBackground = async () => {
    const failed = (await Promise.allSettled(background.values())).find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  };

  for (const step of stepsFor(ctx, steps)) {
    if (doneEarlier(ctx, step)) {
      ctx.reporter.step(step.id, step.title, 'skipped', 'done in an earlier run');
      continue;
    }
    const skip = step.skipReason?.(ctx);
    if (skip) {
      ctx.reporter.step(step.id, step.title, 'skipped', skip);
      continue;
    }
    for (const id of step.waitsFor ?? []) {
      const pending = background.get(id);
      if (!pending || finished.has(id)) continue;
      const stopWaiting = ctx.reporter.waiting(step.title, steps.find((s) => s.id === id)?.title ?? id);
      try {
        await pending;
      } catch (error) {
        // The other background steps finish (and are recorded) first; the earliest failure wins.
        await settleBackground();
        throw error;
      } finally {
        stopWaiting();
      }
    }
    const running = runOne(ctx, step, persist, onCancelled);
    if (step.background) {
      running.then(() => finished.add(step.id), () => {}); // its failure is reported where it is awaited
      background.set(step.id, running);
      continue;
    }
    try {
      await running;
    } catch (error) {
      // What runs in the background finishes (and is recorded) first; the earlier step's failure wins.
      await settleBackground();
      throw error;
    }
  }
  await settleBackground();
}

async function runOne(ctx: Context, step: Step, persist: () => Promise<void>, onCancelled: (step: Step) => void): Promise<void> {
  ctx.reporter.step(step.id, step.title, 'start');
  ctx.runningSteps.push(step.title);
  let result: StepResult;
  if (step.commitsProject) {
    markDone(ctx, step.id);
    await persist();
  }
  try {
    result = await step.run(ctx);
  } catch (error) {
    ctx.reporter.step(step.id, step.title, 'failed');
    if (step.commitsProject) redo(ctx, [step.id]);
    await persist();
    const failure = asStepError(step, error);
    if (failure instanceof CancelledError) onCancelled(step);
    throw failure;
  } finally {
    ctx.runningSteps.splice(ctx.runningSteps.indexOf(step.title), 1);
  }
  const { detail, invalidates = [] } = typeof result === 'object' ? result : { detail: result };
  // What this step changed makes later steps' earlier work stale (new convex/ code: push again).
  redo(ctx, invalidates);
  if (!step.commitsProject && !step.printsOnly) markDone(ctx, step.id);
  if (invalidates.length > 0 || (!step.commitsProject && !step.printsOnly)) await persist();
  ctx.reporter.step(step.id, step.title, 'done', detail || undefined);
}

/** The manifest lives in the project, so it is saved once the project directory exists. */
async function save(ctx: Context): Promise<void> {
  if (await fs.pathExists(path.join(ctx.projectDir, 'package.json'))) {
    await saveManifest(ctx.projectDir, ctx.manifest);
  }
}

function asStepError(step: Step, error: unknown): CliError {
  if (error instanceof CliError) {
    if (error instanceof StepError || error instanceof CancelledError) return error;
    // Bad input found by a step (exit 2) keeps its exit code; the message still names the step.
    if (error.exitCode !== 1) return new CliError(`${step.title} failed: ${error.message}`, error.exitCode, error.fix);
    return new StepError(step.id, `${step.title} failed: ${error.message}`, error.fix);
  }
  if (error instanceof CommandFailedError) {
    if (error.result.exitCode === 130) return cancelledDuring([step.title]);
    const tail = error.result.output.trim().split('\n').slice(-15).join('\n');
    const fix = error.timedOut
      ? 'The service it talks to did not answer in time. Check your network connection (and the service\'s status page), ' +
        'then run the same command again: it resumes at this step. A slow service needs a longer --timeout.'
      : (error as { fix?: string }).fix ?? `Fix the cause above, then run the same command again: it resumes at this step (see ${MANIFEST_FILE}).`;
    return new StepError(step.id, `${step.title} failed: ${error.message}${tail ? `\n${tail}` : ''}`, fix);
  }
  const message = error instanceof Error ? error.message : String(error);
  const fix = (error as { fix?: string }).fix ?? 'Fix the cause above, then run the same command again: it resumes at this step.';
  return new StepError(step.id, `${step.title} failed: ${message}`, fix);
}
