/** The bench's critical path (test/bench/critical-path.ts), from step events as the CLI prints them with --json. */
import { expect, it } from 'vitest';
import { criticalPath, stepSpans } from '../../test/bench/critical-path.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 29, 14, 0, 0) + s * 1000).toISOString();
const event = (id: string, status: string, s: number) => JSON.stringify({ type: 'step', id, title: id, status, time: at(s) });

it('follows the background install, not the steps that ran beside it, and ignores skipped steps', () => {
  const output = [
    'some text that is not an event',
    event('verify-workos', 'start', 0),
    event('verify-workos', 'done', 1),
    event('create-app', 'start', 1),
    event('create-app', 'done', 3),
    event('install', 'start', 3), // in the background
    event('provision-convex', 'start', 3),
    event('provision-convex', 'done', 5),
    event('set-deployment-env', 'start', 5),
    event('set-deployment-env', 'done', 6),
    JSON.stringify({ type: 'step', id: 'previews', title: 'previews', status: 'skipped', time: at(6) }),
    event('install', 'done', 20),
    event('shadcn', 'start', 20), // waited for the install
    event('shadcn', 'done', 22),
    event('push', 'start', 22),
    event('push', 'done', 25),
  ].join('\n');
  const spans = stepSpans(output);
  expect(spans.map((s) => s.id)).toEqual(['verify-workos', 'create-app', 'provision-convex', 'set-deployment-env', 'install', 'shadcn', 'push']);
  expect(criticalPath(spans)).toEqual(['verify-workos', 'create-app', 'install', 'shadcn', 'push']);
});

it('is every step when nothing runs beside another', () => {
  const output = [event('a', 'start', 0), event('a', 'done', 1), event('b', 'start', 1), event('b', 'done', 4)].join('\n');
  expect(criticalPath(stepSpans(output))).toEqual(['a', 'b']);
});
