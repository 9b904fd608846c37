/**
 * The pipeline alone, with steps made here: what it records, what it resumes, what runs alongside
 * what, and what a step's changes make it run again. The manifest is read back from disk.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { describe, expect, it } from 'vitest';
import type { Context, Step, StepResult } from '../../src/context.js';
import { CancelledError, StepError } from '../../src/errors.js';
import { newManifest, readManifest } from '../../src/manifest.js';
import { isDone, planText, redo, runSteps } from '../../src/pipeline.js';
import type { Reporter } from '../../src/ui/reporter.js';

/** What the pipeline told the user, as `id:status` (and `id:waiting`), in order. */
function recordingReporter(events: string[]): Reporter {
  const reporter = {
    step: (id: string, _title: string, status: string) => events.push(`${id}:${status}`),
    info: () => {},
    warn: () => {},
    note: () => {},
    waiting: (title: string) => {
      events.push(`${title}:waiting`);
      return () => {};
    },
    pause: () => {},
    close: () => {},
  };
  return reporter as unknown as Reporter;
}

/** A project folder (package.json present, so the manifest is saved) and the pipeline's part of a context. */
function project(events: string[]) {
  const projectDir = mkdtempSync(path.join(os.tmpdir(), 'cak-pipeline-'));
  fs.writeJsonSync(path.join(projectDir, 'package.json'), { name: 'app' });
  const ctx: Pick<Context, 'projectDir' | 'manifest' | 'reporter' | 'runningSteps'> = {
    projectDir,
    manifest: newManifest('0.0.0', {}),
    reporter: recordingReporter(events),
    runningSteps: [],
  };
  // The steps here read nothing else from the context.
  return ctx as Context;
}

function step(id: string, run: () => Promise<StepResult> | StepResult, extra: Partial<Step> = {}): Step {
  return { id, title: id, describe: () => id, run: async () => run(), ...extra };
}

/** A promise and the function that settles it: a step that runs until the test lets it finish. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('pipeline', () => {
  it('records each completion in the manifest on disk, and a rerun resumes at the failed step', async () => {
    const events: string[] = [];
    const ctx = project(events);
    const ran: string[] = [];
    let bFails = true;
    const steps = [
      step('a', () => void ran.push('a')),
      step('b', () => {
        ran.push('b');
        if (bFails) throw new Error('b broke');
      }),
      step('c', () => void ran.push('c')),
    ];

    const error = await runSteps(ctx, steps).catch((e) => e);
    expect(error).toBeInstanceOf(StepError);
    expect(error.message).toBe('b failed: b broke');
    expect(ran).toEqual(['a', 'b']);
    const saved = await readManifest(ctx.projectDir);
    expect(Object.keys(saved!.completedSteps)).toEqual(['a']);

    // The rerun starts from what was saved.
    bFails = false;
    ran.length = 0;
    events.length = 0;
    const rerun = { ...ctx, manifest: saved! };
    await runSteps(rerun, steps);
    expect(ran).toEqual(['b', 'c']);
    expect(events[0]).toBe('a:skipped');
    expect(Object.keys((await readManifest(ctx.projectDir))!.completedSteps).sort()).toEqual(['a', 'b', 'c']);
  });

  it('neither runs, shows nor plans a step that is not part of this kind of run (appliesTo)', async () => {
    const events: string[] = [];
    const ctx = project(events);
    const ran: string[] = [];
    const steps = [
      step('a', () => void ran.push('a')),
      step('prod', () => void ran.push('prod'), { appliesTo: () => false }),
      step('b', () => void ran.push('b'), { appliesTo: () => true }),
    ];
    await runSteps(ctx, steps);
    expect(ran).toEqual(['a', 'b']);
    expect(events.filter((e) => e.startsWith('prod'))).toEqual([]);
    expect(isDone(ctx, 'prod')).toBe(false);
    expect(planText({ ...ctx, manifest: newManifest('0.0.0', {}) }, steps)).toBe(' 1. a: a\n 2. b: b');
  });

  it('runs `always` steps every time and never records a `printsOnly` one', async () => {
    const ctx = project([]);
    const ran: string[] = [];
    const steps = [
      step('check', () => void ran.push('check'), { always: true }),
      step('once', () => void ran.push('once')),
      step('print', () => void ran.push('print'), { printsOnly: true }),
    ];
    await runSteps(ctx, steps);
    await runSteps(ctx, steps);
    expect(ran).toEqual(['check', 'once', 'print', 'check', 'print']);
    expect(isDone(ctx, 'print')).toBe(false);
    expect(Object.keys((await readManifest(ctx.projectDir))!.completedSteps).sort()).toEqual(['check', 'once']);
  });

  it('lets the next steps run while a background step runs, and makes a step that waits for it wait', async () => {
    const events: string[] = [];
    const ctx = project(events);
    const install = gate();
    const steps = [
      step('install', () => install.promise, { background: true }),
      step('provision', async () => {
        await tick();
        // Still running in the background: the install is let finish only now.
        expect(events).not.toContain('install:done');
        install.open();
      }),
      step('push', () => undefined, { waitsFor: ['install'] }),
    ];
    await runSteps(ctx, steps);
    expect(events.indexOf('provision:start')).toBeGreaterThan(events.indexOf('install:start'));
    expect(events.indexOf('provision:start')).toBeLessThan(events.indexOf('install:done'));
    expect(events.indexOf('install:done')).toBeLessThan(events.indexOf('push:start'));
    expect(['install', 'provision', 'push'].every((id) => isDone(ctx, id))).toBe(true);
  });

  it('runs again, in the same run, the steps a step says it made stale; others stay done', async () => {
    const ctx = project([]);
    const ran: string[] = [];
    let templatesResult: StepResult = 'no change';
    const steps = [
      step('templates', () => {
        ran.push('templates');
        return templatesResult;
      }),
      step('env', () => void ran.push('env')),
      step('push', () => void ran.push('push')),
    ];
    await runSteps(ctx, steps);
    ran.length = 0;

    // A rerun redoes the templates; they wrote nothing new: the push stays done.
    redo(ctx, ['templates']);
    await runSteps(ctx, steps);
    expect(ran).toEqual(['templates']);

    // Now they changed backend code: the push runs again, the env step (not named) does not.
    ran.length = 0;
    redo(ctx, ['templates']);
    templatesResult = { detail: '3 files', invalidates: ['push'] };
    await runSteps(ctx, steps);
    expect(ran).toEqual(['templates', 'push']);
  });

  it('keeps an invalidation on disk when a later step fails, so the next run still redoes it', async () => {
    const ctx = project([]);
    ctx.manifest.completedSteps.push = new Date().toISOString();
    const steps = [
      step('templates', () => ({ invalidates: ['push'] })),
      step('env', () => {
        throw new Error('unreachable deployment');
      }),
      step('push', () => undefined),
    ];
    await expect(runSteps(ctx, steps)).rejects.toThrow(/env failed/);
    const saved = (await readManifest(ctx.projectDir))!;
    expect(isDone({ manifest: saved }, 'templates')).toBe(true);
    expect(isDone({ manifest: saved }, 'push')).toBe(false);
  });

  it('when a step fails while a background step runs, lets that one finish and record, then reports the failure', async () => {
    const events: string[] = [];
    const ctx = project(events);
    const install = gate();
    const steps = [
      step('install', () => install.promise, { background: true }),
      step('provision', async () => {
        setTimeout(install.open, 50);
        throw new Error('no team');
      }),
      step('push', () => undefined, { waitsFor: ['install'] }),
    ];
    const error = await runSteps(ctx, steps).catch((e) => e);
    expect(error.message).toBe('provision failed: no team');
    // The install ended (and was saved) before the run gave up; the push never started.
    expect(events).toContain('install:done');
    expect(events).not.toContain('push:start');
    const saved = (await readManifest(ctx.projectDir))!;
    expect(Object.keys(saved.completedSteps)).toEqual(['install']);
  });

  it('reports a background step that fails where a later step waits for it, and records nothing after it', async () => {
    const ctx = project([]);
    const install = gate();
    const steps = [
      step('install', () => install.promise, { background: true }),
      step('provision', () => install.fail(new Error('registry down'))),
      step('push', () => undefined, { waitsFor: ['install'] }),
    ];
    const error = await runSteps(ctx, steps).catch((e) => e);
    expect(error.message).toBe('install failed: registry down');
    expect(isDone(ctx, 'provision')).toBe(true);
    expect(isDone(ctx, 'install')).toBe(false);
    expect(isDone(ctx, 'push')).toBe(false);
  });

  it('when a background step another step waits for fails, lets the other background steps finish first, and the earlier one\'s failure wins', async () => {
    const events: string[] = [];
    const ctx = project(events);
    const install = gate();
    const shadcn = gate();
    const steps = [
      step('install', () => install.promise, { background: true }),
      step('shadcn', () => shadcn.promise, { background: true }),
      step('provision', () => {
        shadcn.fail(new Error('registry down'));
        setTimeout(() => install.fail(new Error('npm down')), 50);
      }),
      step('templates', () => undefined, { waitsFor: ['shadcn'] }),
      step('push', () => undefined, { waitsFor: ['install'] }),
    ];
    const error = await runSteps(ctx, steps).catch((e) => e);
    // The run did not end while the install was still running; both failed, the install (earlier) is named.
    expect(events).toContain('install:failed');
    expect(error.message).toBe('install failed: npm down');
    expect(events).not.toContain('templates:start');
    expect(isDone(ctx, 'provision')).toBe(true);
  });

  it('when only the waited-for background step fails, lets the others finish and record, then names it', async () => {
    const events: string[] = [];
    const ctx = project(events);
    const install = gate();
    const steps = [
      step('install', () => install.promise, { background: true }),
      step('shadcn', () => Promise.reject(new Error('registry down')), { background: true }),
      step('templates', () => undefined, { waitsFor: ['shadcn'] }),
    ];
    setTimeout(install.open, 50);
    const error = await runSteps(ctx, steps).catch((e) => e);
    expect(error.message).toBe('shadcn failed: registry down');
    expect(events).toContain('install:done');
    const saved = (await readManifest(ctx.projectDir))!;
    expect(Object.keys(saved.completedSteps)).toEqual(['install']);
  });

  it('on Ctrl-C, names every step it stopped, background ones included, in the order of the list', async () => {
    const ctx = project([]);
    const shadcn = gate();
    const steps = [
      step('install', () => undefined, { background: true }),
      step('shadcn', () => shadcn.promise, { background: true }),
      step('provision', () => {
        // One signal stops both running children: each step fails as cancelled.
        shadcn.fail(new CancelledError('Cancelled.'));
        throw new CancelledError('Cancelled.');
      }),
      step('push', () => undefined, { waitsFor: ['install'] }),
    ];
    const error = await runSteps(ctx, steps).catch((e) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.message).toBe('Cancelled during "shadcn" and "provision".');
    expect(isDone(ctx, 'install')).toBe(true);
    expect(isDone(ctx, 'shadcn')).toBe(false);
  });

  it('records a project-committing step before it runs and withdraws it if it fails', async () => {
    const ctx = project([]);
    let seenDuringRun: string[] = [];
    const commit = step(
      'git',
      async () => {
        seenDuringRun = Object.keys((await readManifest(ctx.projectDir))!.completedSteps);
        throw new Error('no identity');
      },
      { commitsProject: true },
    );
    await expect(runSteps(ctx, [commit])).rejects.toThrow(/git failed/);
    expect(seenDuringRun).toEqual(['git']);
    expect(Object.keys((await readManifest(ctx.projectDir))!.completedSteps)).toEqual([]);
  });
});
