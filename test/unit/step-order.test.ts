/**
 * The one ordered step list (src/steps/index.ts): what runs beside the install and what waits for it.
 * Nothing that needs no node_modules may wait for the install (it would sit on the critical path).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { describe, expect, it } from 'vitest';
import { steps } from '../../src/steps/index.js';
import { addedDependencies, dependencySpecs } from '../../src/systems/shadcn.js';

const byId = (id: string) => steps.find((s) => s.id === id)!;
const position = (id: string) => steps.findIndex((s) => s.id === id);

describe('the step list', () => {
  it('waits only for background steps that come earlier in the list', () => {
    for (const step of steps) {
      for (const id of step.waitsFor ?? []) {
        expect(byId(id)?.background, `${step.id} waits for ${id}`).toBe(true);
        expect(position(id), `${step.id} waits for ${id}`).toBeLessThan(position(step.id));
      }
    }
  });

  it('runs shadcn beside the install, right after it starts, and writes the templates without waiting for it', () => {
    expect(byId('shadcn').background).toBe(true);
    expect(position('shadcn')).toBe(position('install') + 1);
    expect(byId('shadcn').waitsFor ?? []).not.toContain('install');
    expect(byId('templates').waitsFor).toEqual(['shadcn']);
  });

  it('makes the push and the first commit wait for the install (and the commit for shadcn too)', () => {
    expect(byId('push-convex').waitsFor).toEqual(['install']);
    expect(byId('git').waitsFor).toEqual(expect.arrayContaining(['install', 'shadcn']));
  });
});

describe('what shadcn added to package.json', () => {
  it('names a package it added or whose range it changed, in any dependency field, and nothing else', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cak-shadcn-deps-'));
    const file = path.join(dir, 'package.json');
    await fs.writeJson(file, { name: 'x', dependencies: { clsx: '2.1.1', 'radix-ui': '1.8.1' }, devDependencies: { vitest: '5.1.1' } });
    const before = await dependencySpecs(dir);
    expect(addedDependencies(before, await dependencySpecs(dir))).toEqual([]);
    await fs.writeJson(file, { name: 'x', scripts: { dev: 'next dev' }, dependencies: { clsx: '^2.1.1', 'radix-ui': '1.8.1', shadcn: '^4' }, devDependencies: { vitest: '5.1.1', '@scope/tool': '1.0.0' } });
    expect(addedDependencies(before, await dependencySpecs(dir)).sort()).toEqual(['@scope/tool', 'clsx', 'shadcn']);
  });
});
