/** The README's bench table comes from the bench's JSON (scripts/bench-table), between two markers. */
import fs from 'fs-extra';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { END, START, renderTable, replaceBetweenMarkers, type BenchResults } from '../../scripts/bench-table/render.js';
import { repoRoot } from '../helpers/cli.js';

const results: BenchResults = {
  cores: 2,
  runs: 5,
  date: '2026-11-29T14:00:00.000Z',
  npmSettings: { npm_config_audit: 'false' },
  rows: [
    { what: 'start-up --help', ours: 45.2, baseline: 80.1, ratio: 0.564, target: '≤ 0.6×', unit: 'ms' },
    { what: 'full scaffold vs create-next-app + install', ours: 23456, baseline: 20123, ratio: 1.1656, spread: [1.02, 1.78], target: '≤ 1.3×', unit: 'ms' },
    { what: 'install passes (besides shadcn)', ours: 1, target: '1', unit: '' },
  ],
  steps: { 'create-app': 1500, install: 18000, 'provision-convex': 900, shadcn: 1700 },
  criticalPath: ['create-app', 'install', 'shadcn'],
  criticalPathMs: 21200,
};

describe('the README bench table', () => {
  it("prints each row's figures, ratio and the pairs' spread, and the critical path, from the JSON", () => {
    const table = renderTable(results);
    expect(table).toContain('2 cores, median of 5 runs, 2026-11-29, npm_config_audit=false:');
    expect(table).toContain('| start-up --help | 45.20 ms | 80.10 ms | 0.56× | ≤ 0.6× |');
    expect(table).toContain('| full scaffold vs create-next-app + install | 23.5 s | 20.1 s | 1.17× (1.02–1.78×) | ≤ 1.3× |');
    expect(table).toContain('| install passes (besides shadcn) | 1 |  |  | 1 |');
    expect(table).toContain('**create-app** 1500, **install** 18000, provision-convex 900, **shadcn** 1700');
    expect(table).toContain('21200 ms in all');
  });

  it('prints, per manager, ours, the baseline, the ratio with its spread, and the critical path with each step', () => {
    const manager = (median: number, baselineMedian: number, path: string[], pathMs: number) => ({
      median,
      baselineMedian,
      ratio: median / baselineMedian,
      spread: [0.91, 1.12] as [number, number],
      steps: { 'create-app': 1500, install: 18000, shadcn: 1700, 'push-convex': 3500 },
      criticalPath: path,
      criticalPathMs: pathMs,
    });
    const table = renderTable({
      ...results,
      managers: {
        npm: manager(21000, 20000, ['create-app', 'install', 'push-convex'], 23000),
        bun: manager(9000, 4500, ['create-app', 'shadcn', 'push-convex'], 6700),
      },
      failed: { pnpm: 'create-next-app with pnpm failed:\nERR_PNPM_BAD_CONFIG_DEP' },
    });
    // A manager that gave no figures is named with the first line of why, never left out silently.
    expect(table).toContain('pnpm: no figures in this run (create-next-app with pnpm failed:).');
    expect(table).toContain('| manager | ours | create-next-app | ratio (spread of the pairs) | critical path');
    expect(table).toContain('| npm | 21.0 s | 20.0 s | 1.05× (0.91–1.12×) | create-app → install → push-convex (23.0 s) |');
    expect(table).toContain('| bun | 9.0 s | 4.5 s | 2.00× (0.91–1.12×) | create-app → shadcn → push-convex (6.7 s) |');
    expect(table).toContain('npm, per step (median ms; the critical path in bold, 23000 ms in all): **create-app** 1500, **install** 18000, shadcn 1700, **push-convex** 3500.');
    expect(table).toContain('bun, per step (median ms; the critical path in bold, 6700 ms in all): **create-app** 1500, install 18000, **shadcn** 1700');
  });

  it('replaces only what stands between the markers', () => {
    const text = `intro\n${START}\nold table\n${END}\nafter\n`;
    expect(replaceBetweenMarkers(text, 'new table')).toBe(`intro\n${START}\n\nnew table\n\n${END}\nafter\n`);
    expect(() => replaceBetweenMarkers('no markers', 'x')).toThrow(/markers/);
  });

  it('has its place in the README, once', async () => {
    const readme = await fs.readFile(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme.split(START)).toHaveLength(2);
    expect(readme.indexOf(END)).toBeGreaterThan(readme.indexOf(START));
  });
});
