/**
 * Benchmarks, as ratios against what users would run instead, measured in the same run with A and B
 * alternating (median of N runs each). Prints a table and writes JSON under bench/results/.
 *
 *   test/bench/run            # N=5
 *   test/bench/run --runs 3 --skip-scaffold
 *   test/bench/run --no-audit     # npm's audit off for both sides (the CLI always skips it; npm's default is on)
 *   test/bench/run --runs 3 --managers npm         # start-up and the npm scaffold only
 *   test/bench/run --runs 1 --managers pnpm,bun    # the scaffold with these managers only (default: all five)
 *
 * Every manager's scaffold reports ours, the baseline, their ratio, the spread of the pairs' ratios,
 * each step's median and the critical path (the steps the run's end waited on).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { managerEnv, type ManagerCase } from '../helpers/package-managers.js';
import { startWorld, type World } from '../helpers/world.js';
import { criticalPath, stepSpans } from './critical-path.js';
import type { ManagerResult } from '../../scripts/bench-table/render.js';
import { CREATE_NEXT_APP_VERSION } from '../../src/versions.js';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 5;
const skipScaffold = argv.includes('--skip-scaffold');
/** Managers besides npm whose scaffold is compared with create-next-app run by the same manager. */
const allManagers: ManagerCase[] = ['pnpm', 'yarn1', 'yarn4', 'bun'];
/** `npm` in --managers: the start-up figures and the npm scaffold (with its RSS, install passes and --add-sso). */
const named = argv.includes('--managers') ? argv[argv.indexOf('--managers') + 1]!.split(',') : undefined;
const withNpm = named ? named.includes('npm') : true;
const managers = (named ? named.filter((m) => m !== 'npm') : skipScaffold ? [] : allManagers) as ManagerCase[];
// Start-ups take tens of milliseconds, where one busy moment of the machine shows: many more runs.
const startupRuns = runs * 5;
/** The npm settings both sides of the scaffold comparison run under (besides the world's HOME and cache). */
const npmSettings: Record<string, string> = argv.includes('--no-audit') ? { npm_config_audit: 'false' } : {};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Timed {
  ms: number;
  peakRssMb: number;
  all: string;
  exitCode: number;
}

/** Run a command, timing it and sampling its peak RSS (VmHWM) until it exits. */
async function timed(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<Timed> {
  const start = performance.now();
  const child = execa(cmd, args, { cwd: opts.cwd, env: { CI: 'true', npm_config_prefer_offline: 'true', ...opts.env }, all: true, reject: false, stdin: 'ignore' });
  let peakKb = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* exited */
    }
  };
  const timer = setInterval(sample, 20);
  sample();
  const result = await child;
  clearInterval(timer);
  return { ms: performance.now() - start, peakRssMb: peakKb / 1024, all: String(result.all), exitCode: result.exitCode ?? -1 };
}

/** Per manager: what the README's per-manager table reads (`ManagerResult`), plus each run's raw figures. */
interface ManagerRun extends ManagerResult {
  ours: number[];
  baseline: number[];
  criticalPaths: string[][];
}

function managerResult(ours: number[], base: number[], steps: Array<Record<string, number>>, paths: string[][]): ManagerRun {
  const ids = [...new Set(steps.flatMap((s) => Object.keys(s)))];
  const medians = Object.fromEntries(ids.map((id) => [id, median(steps.map((s) => s[id] ?? 0))]));
  // A step is on the critical path when it is in most runs' paths.
  const critical = ids.filter((id) => paths.filter((p) => p.includes(id)).length * 2 > paths.length);
  return {
    ours,
    baseline: base,
    median: median(ours),
    baselineMedian: median(base),
    ratio: median(ours) / median(base),
    spread: spread(ours, base),
    steps: medians,
    criticalPath: critical,
    criticalPathMs: critical.reduce((sum, id) => sum + medians[id]!, 0),
    criticalPaths: paths,
  };
}

const rows: Array<{ what: string; ours: number; baseline?: number; ratio?: number; spread?: [number, number]; target: string; unit: string }> = [];
/** The lowest and highest ratio of the alternating pairs. */
const spread = (ours: number[], base: number[]): [number, number] => {
  const ratios = ours.map((o, i) => o / base[i]!);
  return [Math.min(...ratios), Math.max(...ratios)];
};
const perManager: Record<string, ManagerRun> = {};
/** Managers that gave no figures, and why (the first lines of what failed). */
const failed: Record<string, string> = {};
const results: Record<string, unknown> = { managers: perManager, failed, cores: os.cpus().length, runs, node: process.version, date: new Date().toISOString(), npmSettings };

async function startup() {
  // The baseline, installed once and run with node directly (not through npx).
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'cak-bench-cna-'));
  await execa('npm', ['install', '--prefix', prefix, '--no-save', '--prefer-offline', `create-next-app@${CREATE_NEXT_APP_VERSION}`]);
  const cna = path.join(prefix, 'node_modules/create-next-app/dist/index.js');
  for (const flag of ['--help', '--version']) {
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < startupRuns; i++) {
      ours.push((await timed(process.execPath, [cliPath, flag], { cwd: prefix })).ms);
      base.push((await timed(process.execPath, [cna, flag], { cwd: prefix })).ms);
    }
    const ratio = median(ours) / median(base);
    rows.push({ what: `start-up ${flag}`, ours: median(ours), baseline: median(base), ratio, target: '≤ 0.6×', unit: 'ms' });
    results[`startup${flag}`] = { ours, baseline: base };
  }
}

/** Step durations from the CLI's --json events. */
function stepBreakdown(all: string): Record<string, number> {
  const started: Record<string, number> = {};
  const out: Record<string, number> = {};
  for (const line of all.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { type: string; id: string; status: string; time: string };
    if (e.type !== 'step') continue;
    if (e.status === 'start') started[e.id] = Date.parse(e.time);
    else if (started[e.id] !== undefined) out[e.id] = Date.parse(e.time) - started[e.id]!;
  }
  return out;
}

async function scaffold() {
  const world = await startWorld();
  try {
    const ours: number[] = [];
    const base: number[] = [];
    const rss: number[] = [];
    const steps: Array<Record<string, number>> = [];
    const installs: number[] = [];
    const paths: string[][] = [];
    const sso: number[] = [];
    const installAlone: number[] = [];
    for (let i = 0; i < runs; i++) {
      const cwd = mkdtempSync(path.join(os.tmpdir(), 'cak-bench-'));
      const argvLog = path.join(cwd, 'argv.log');
      const a = await timed(process.execPath, [cliPath, `app-${i}`, '--yes', '--json'], { cwd, env: { ...world.env(), ...npmSettings, CREATE_AUTHKIT_CONVEX_ARGV_LOG: argvLog } });
      if (a.exitCode !== 0) throw new Error(`scaffold failed:\n${a.all}`);
      ours.push(a.ms);
      rss.push(a.peakRssMb);
      steps.push(stepBreakdown(a.all));
      paths.push(criticalPath(stepSpans(a.all)));
      const spawned = (await fs.readFile(argvLog, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { command: string; args: string[] });
      // npm: `npm ci` from the shipped lockfile, or `npm install` when package.json differs from it.
      installs.push(spawned.filter((c) => c.args[0] === 'install' || (c.command === 'npm' && c.args[0] === 'ci')).length);
      // Rerun --add-sso (no new dependencies) in the app just made.
      const s = await timed(process.execPath, [cliPath, '--add-sso'], { cwd: path.join(cwd, `app-${i}`), env: world.env() });
      if (s.exitCode !== 0) throw new Error(`--add-sso failed:\n${s.all}`);
      sso.push(s.ms);
      // The floor under the scaffold: the app's install alone, `npm ci` of its lockfile into an empty
      // node_modules, as the install step runs it (the same cache and settings).
      await fs.remove(path.join(cwd, `app-${i}`, 'node_modules'));
      const f = await timed('npm', ['ci', '--no-audit', '--no-fund'], { cwd: path.join(cwd, `app-${i}`), env: { ...world.env(), ...npmSettings } });
      if (f.exitCode !== 0) throw new Error(`npm ci failed:\n${f.all}`);
      installAlone.push(f.ms);
      // The baseline under the same npm settings (the world's HOME and the same npm cache).
      const b = await timed('npx', ['--yes', `create-next-app@${CREATE_NEXT_APP_VERSION}`, `base-${i}`, '--ts', '--tailwind', '--eslint', '--app', '--src-dir', '--import-alias', '@/*', '--use-npm', '--disable-git', '--yes'], { cwd, env: { ...world.env(), ...npmSettings } });
      if (b.exitCode !== 0) throw new Error(`create-next-app failed:\n${b.all}`);
      base.push(b.ms);
      await fs.remove(cwd);
    }
    rows.push({ what: 'full scaffold vs create-next-app + install', ours: median(ours), baseline: median(base), ratio: median(ours) / median(base), spread: spread(ours, base), target: '≤ 1.0×', unit: 'ms' });
    rows.push({ what: "the app's install alone (npm ci) vs create-next-app + install", ours: median(installAlone), baseline: median(base), ratio: median(installAlone) / median(base), spread: spread(installAlone, base), target: 'the floor', unit: 'ms' });
    rows.push({ what: 'peak RSS of the CLI process', ours: median(rss), target: '≤ 150 MB', unit: 'MB' });
    rows.push({ what: 'install passes (besides shadcn)', ours: Math.max(...installs), target: '1', unit: '' });
    const npm = (perManager.npm = managerResult(ours, base, steps, paths));
    results.steps = npm.steps;
    results.criticalPath = npm.criticalPath;
    results.criticalPathMs = npm.criticalPathMs;
    results.scaffold = { ours, baseline: base, installAlone, rss, installs, criticalPaths: paths };
    rows.push({ what: 'rerun --add-sso', ours: median(sso), target: '≤ 3 s', unit: 'ms' });
    results.addSso = sso;
  } finally {
    await world.close();
  }
}

/**
 * Our scaffold with pnpm, yarn 1, yarn 4 or bun (as if `<manager> create authkit-convex` started it)
 * against create-next-app run and installed by the same manager, alternating.
 */
async function managerScaffolds() {
  const world = await startWorld();
  try {
    for (const which of managers) {
      try {
        await managerScaffold(world, which);
      } catch (error) {
        // One manager's failure (its scaffold, or create-next-app's own install) costs only its figures.
        const reason = (error as Error).message.split('\n').slice(0, 12).join('\n');
        failed[which] = reason;
        console.error(`\n${which}: no figures.\n${reason}`);
      }
    }
  } finally {
    await world.close();
  }
}

async function managerScaffold(world: World, which: ManagerCase) {
  // yarn 2+ installs "immutable" under CI=true and would refuse create-next-app's new lockfile (the
  // CLI passes --no-immutable itself).
  const env = { ...world.env(), ...(await managerEnv(which)), YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' };
  const pm = which.startsWith('yarn') ? 'yarn' : which;
  const runner = { pnpm: ['pnpm', 'dlx'], yarn1: ['npx', '--yes'], yarn4: ['yarn', 'dlx'], bun: ['bunx'] }[which];
  const ours: number[] = [];
  const base: number[] = [];
  const steps: Array<Record<string, number>> = [];
  const paths: string[][] = [];
  for (let i = 0; i < runs; i++) {
    const cwd = mkdtempSync(path.join(os.tmpdir(), `cak-bench-${which}-`));
    const a = await timed(process.execPath, [cliPath, `app-${i}`, '--yes', '--no-git', '--json'], { cwd, env });
    if (a.exitCode !== 0) throw new Error(`${which} scaffold failed:\n${a.all}`);
    ours.push(a.ms);
    steps.push(stepBreakdown(a.all));
    paths.push(criticalPath(stepSpans(a.all)));
    const b = await timed(runner[0]!, [...runner.slice(1), `create-next-app@${CREATE_NEXT_APP_VERSION}`, `base-${i}`, '--ts', '--tailwind', '--eslint', '--app', '--src-dir', '--import-alias', '@/*', `--use-${pm}`, '--disable-git', '--yes'], { cwd, env });
    // create-next-app exits 0 when its install fails: check that it wrote the lockfile (yarn 4: Plug'n'Play).
    const lockfile = { pnpm: 'pnpm-lock.yaml', yarn1: 'yarn.lock', yarn4: 'yarn.lock', bun: 'bun.lock' }[which];
    if (b.exitCode !== 0 || !fs.existsSync(path.join(cwd, `base-${i}`, lockfile))) {
      throw new Error(`create-next-app with ${which} failed:\n${b.all}`);
    }
    base.push(b.ms);
    await fs.remove(cwd);
  }
  rows.push({ what: `full scaffold with ${which} vs create-next-app with ${which}`, ours: median(ours), baseline: median(base), ratio: median(ours) / median(base), spread: spread(ours, base), target: '≤ 1.0×', unit: 'ms' });
  perManager[which] = managerResult(ours, base, steps, paths);
}

if (withNpm) await startup();
if (!skipScaffold && withNpm) await scaffold();
if (managers.length) await managerScaffolds();

const fmt = (n: number | undefined) => (n === undefined ? '' : n >= 100 ? n.toFixed(0) : n.toFixed(2));
console.log(`\n${os.cpus().length} cores, median of ${runs} runs${withNpm ? ` (start-up: ${startupRuns})` : ''}\n`);
console.log('| measure | ours | baseline | ratio | target |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.what} | ${fmt(r.ours)} ${r.unit} | ${r.baseline ? `${fmt(r.baseline)} ${r.unit}` : ''} | ${r.ratio ? `${r.ratio.toFixed(2)}×` : ''}${r.spread ? ` (pairs ${r.spread[0].toFixed(2)}–${r.spread[1].toFixed(2)}×)` : ''} | ${r.target} |`);
for (const [which, r] of Object.entries(perManager)) {
  console.log(`\n${which}: ours ${fmt(r.median)} ms, baseline ${fmt(r.baselineMedian)} ms, ${r.ratio.toFixed(2)}× (pairs ${r.spread[0].toFixed(2)}–${r.spread[1].toFixed(2)}×). Per-step median (ms):`);
  const critical = new Set(r.criticalPath);
  for (const [id, ms] of Object.entries(r.steps)) console.log(`  ${id.padEnd(18)} ${ms}${critical.has(id) ? '  (critical path)' : ''}`);
  console.log(`  critical path: ${r.criticalPath.join(' → ')}, ${r.criticalPathMs} ms of medians`);
}
for (const [which, reason] of Object.entries(failed)) console.log(`\n${which}: no figures (${reason.split('\n')[0]})`);
const outDir = path.join(repoRoot, 'bench/results');
await fs.ensureDir(outDir);
const file = path.join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
await fs.writeJson(file, { rows, ...results }, { spaces: 2 });
console.log(`\nWrote ${path.relative(repoRoot, file)}`);
