/** The critical path of a run, from the step events the CLI prints with --json. */

/** Each step's start and end (ms since the epoch) from the CLI's --json events. */
export function stepSpans(all: string): Array<{ id: string; start: number; end: number }> {
  const started: Record<string, number> = {};
  const spans: Array<{ id: string; start: number; end: number }> = [];
  for (const line of all.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { type: string; id: string; status: string; time: string };
    if (e.type !== 'step') continue;
    if (e.status === 'start') started[e.id] = Date.parse(e.time);
    else if (started[e.id] !== undefined) spans.push({ id: e.id, start: started[e.id]!, end: Date.parse(e.time) });
  }
  return spans;
}

/**
 * The steps the run's end waited on: from the step that ended last, back through the step that ended
 * latest before each one started (a step waiting for the background install starts when it ends).
 */
export function criticalPath(spans: Array<{ id: string; start: number; end: number }>): string[] {
  const path: string[] = [];
  let current = [...spans].sort((a, b) => b.end - a.end)[0];
  while (current) {
    path.unshift(current.id);
    const start = current.start;
    current = spans.filter((s) => s.end <= start + 5 && !path.includes(s.id)).sort((a, b) => b.end - a.end)[0];
  }
  return path;
}
