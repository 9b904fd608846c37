/** Runs the ordered steps, records each completion in the manifest, and resumes after a failure. */
import fs from 'fs-extra';
import path from 'node:path';
import type { Context, Step } from './context.js';
import { CancelledError, cancelledDuring, CliError, StepError } from './errors.js';
import { MANIFEST_FILE, saveManifest } from './manifest.js';
import { CommandFailedError } from './systems/runner.js';

export function planText(ctx: Context, steps: Step[]): string {
  return steps
    .map((step, i) => {
      const n = String(i + 1).padStart(2);
      if (ctx.manifest.completedSteps[step.id] && !step.always) return `${n}. ${step.title}: done earlier`;
      const skip = step.skipReason?.(ctx);
      return `${n}. ${step.title}: ${skip ? `skipped (${skip})` : step.describe(ctx)}`;
    })
    .join('\n');
}

export async function runSteps(ctx: Context, steps: Step[]): Promise<void> {
  for (const step of steps) {
    if (ctx.manifest.completedSteps[step.id] && !step.always) {
      ctx.reporter.step(step.id, step.title, 'skipped', 'done in an earlier run');
      continue;
    }
    const skip = step.skipReason?.(ctx);
    if (skip) {
      ctx.reporter.step(step.id, step.title, 'skipped', skip);
      continue;
    }
    ctx.reporter.step(step.id, step.title, 'start');
    ctx.currentStep = step.title;
    let detail: string | void;
    try {
      detail = await step.run(ctx);
    } catch (error) {
      ctx.reporter.step(step.id, step.title, 'failed');
      await persist(ctx);
      throw asStepError(step, error);
    }
    ctx.manifest.completedSteps[step.id] = new Date().toISOString();
    await persist(ctx);
    ctx.reporter.step(step.id, step.title, 'done', detail || undefined);
  }
}

/** The manifest lives in the project, so it is saved once the project directory exists. */
async function persist(ctx: Context): Promise<void> {
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
    if (error.result.exitCode === 130) return cancelledDuring(step.title);
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
