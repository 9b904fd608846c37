/** The README's bench table, from the JSON test/bench/run writes (never typed by hand). */

export interface BenchRow {
  what: string;
  ours: number;
  baseline?: number;
  ratio?: number;
  spread?: [number, number];
  target: string;
  unit: string;
}

/** One manager's scaffold against create-next-app run and installed by the same manager. */
export interface ManagerResult {
  median: number;
  baselineMedian: number;
  ratio: number;
  spread: [number, number];
  steps: Record<string, number>;
  criticalPath: string[];
  criticalPathMs: number;
}

export interface BenchResults {
  rows: BenchRow[];
  cores: number;
  runs: number;
  date: string;
  npmSettings?: Record<string, string>;
  steps?: Record<string, number>;
  criticalPath?: string[];
  criticalPathMs?: number;
  /** Per manager (npm, pnpm, yarn1, yarn4, bun): what the per-manager table shows. */
  managers?: Record<string, ManagerResult>;
  /** Managers the run named that gave no figures, and why. */
  failed?: Record<string, string>;
}

export const START = '<!-- bench:start (npm run bench:readme) -->';
export const END = '<!-- bench:end -->';

const number = (n: number) => (Number.isInteger(n) || n >= 100 ? n.toFixed(0) : n.toFixed(2));
const value = (n: number, unit: string) => (unit === 'ms' && n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${number(n)}${unit ? ` ${unit}` : ''}`);

export function renderTable(r: BenchResults): string {
  const settings = Object.entries(r.npmSettings ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') || "npm's default settings";
  const lines = [
    `${r.cores} cores, median of ${r.runs} runs, ${r.date.slice(0, 10)}, ${settings}:`,
    '',
    '| measure | ours | baseline | ratio (spread of the pairs) | target |',
    '| --- | --- | --- | --- | --- |',
    ...r.rows.map((row) => {
      const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×${row.spread ? ` (${row.spread[0].toFixed(2)}–${row.spread[1].toFixed(2)}×)` : ''}`;
      return `| ${row.what} | ${value(row.ours, row.unit)} | ${row.baseline === undefined ? '' : value(row.baseline, row.unit)} | ${ratio} | ${row.target} |`;
    }),
  ];
  const managers = Object.entries(r.managers ?? {});
  if (managers.length > 0) {
    lines.push(
      '',
      'The full scaffold per package manager, against `create-next-app` run and installed by the same manager:',
      '',
      '| manager | ours | create-next-app | ratio (spread of the pairs) | critical path (sum of its steps\' medians) |',
      '| --- | --- | --- | --- | --- |',
      ...managers.map(([name, m]) =>
        `| ${name} | ${value(m.median, 'ms')} | ${value(m.baselineMedian, 'ms')} | ${m.ratio.toFixed(2)}× (${m.spread[0].toFixed(2)}–${m.spread[1].toFixed(2)}×) | ${m.criticalPath.join(' → ')} (${value(m.criticalPathMs, 'ms')}) |`,
      ),
    );
    for (const [name, m] of managers) lines.push('', stepLine(`${name}, per step`, m.steps, m.criticalPath, m.criticalPathMs));
    for (const [name, reason] of Object.entries(r.failed ?? {})) lines.push('', `${name}: no figures in this run (${reason.split('\n')[0]!.trim()}).`);
  } else if (r.steps) {
    lines.push('', stepLine('Per step', r.steps, r.criticalPath ?? [], r.criticalPathMs));
  }
  return lines.join('\n');
}

function stepLine(what: string, steps: Record<string, number>, criticalPath: string[], criticalPathMs: number | undefined): string {
  const critical = new Set(criticalPath);
  const each = Object.entries(steps).map(([id, ms]) => `${critical.has(id) ? `**${id}**` : id} ${ms}`);
  return `${what} (median ms; the critical path in bold${criticalPathMs === undefined ? '' : `, ${criticalPathMs} ms in all`}): ${each.join(', ')}.`;
}

/** The text with what stands between the markers replaced by the table. */
export function replaceBetweenMarkers(text: string, table: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the README has no ${START} … ${END} markers`);
  return `${text.slice(0, start + START.length)}\n\n${table}\n\n${text.slice(end)}`;
}
