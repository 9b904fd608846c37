import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { describe, expect, it } from 'vitest';
import { features } from '../../src/features/index.js';
import { renderPatches, templatesDir } from '../../src/files/render.js';
import { sha256, writeTree } from '../../src/files/tree.js';
import { ensureGitignore } from '../../src/files/gitignore.js';

describe('fonts', () => {
  it("the base layout replaces create-next-app's and loads Geist from the geist package, so builds need no network", async () => {
    const layout = await fs.readFile(path.join(templatesDir(), 'base/src/app/layout.tsx'), 'utf8');
    expect(layout).not.toMatch(/next\/font\/google/);
    expect(layout).toContain('from "geist/font/sans"');
  });
});

describe('writeTree', () => {
  it('updates files we own and leaves user edits alone', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cak-tree-'));
    await fs.outputFile(path.join(root, 'ours.ts'), 'v1');
    await fs.outputFile(path.join(root, 'edited.ts'), 'user change');
    const owned = { 'ours.ts': sha256('v1'), 'edited.ts': sha256('v1') };
    const tree = new Map([
      ['ours.ts', 'v2'],
      ['edited.ts', 'v2'],
      ['new/file.ts', 'fresh'],
    ]);
    const outcome = await writeTree(root, tree, owned, { overwriteUnknown: false });
    expect(outcome.written.sort()).toEqual(['new/file.ts', 'ours.ts']);
    expect(outcome.keptUserEdits).toEqual(['edited.ts']);
    expect(await fs.readFile(path.join(root, 'edited.ts'), 'utf8')).toBe('user change');
    expect(await fs.readFile(path.join(root, 'edited.ts.authkit-new'), 'utf8')).toBe('v2');
    expect(await fs.readFile(path.join(root, 'ours.ts'), 'utf8')).toBe('v2');
    const leftovers = (await fs.readdir(root)).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });
});

describe('.gitignore', () => {
  it('always ignores .env.local, once', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cak-gi-'));
    await fs.outputFile(path.join(root, '.gitignore'), 'node_modules\n');
    await ensureGitignore(root);
    await ensureGitignore(root);
    const text = await fs.readFile(path.join(root, '.gitignore'), 'utf8');
    expect(text.match(/\.env\*\.local/g)).toHaveLength(1);
    // A run's lock file is never committed.
    expect(text.split('\n')).toContain('.create-authkit-convex.lock');
  });
});

describe('package.json and .gitignore', () => {
  it("are rendered into the tree from the disk's version: the features' scripts and the ignored lines added, the rest kept", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cak-patch-'));
    await fs.outputJson(path.join(root, 'package.json'), { name: 'x', scripts: { dev: 'next dev', lint: 'eslint' }, dependencies: { next: '16' } });
    await fs.outputFile(path.join(root, '.gitignore'), 'node_modules\n');
    const chosen = features.filter((f) => f.id === 'base' || f.id === 'webhooks');
    const tree = await renderPatches(root, chosen);
    const pkg = JSON.parse(tree.get('package.json')!);
    expect(pkg.scripts).toMatchObject({ lint: 'eslint', dev: 'run-p --race dev:frontend dev:backend', backfill: 'convex run workos/backfill:run' });
    expect(pkg.dependencies).toEqual({ next: '16' });
    expect(tree.get('.gitignore')!.split('\n')).toEqual(expect.arrayContaining(['node_modules', '.env*.local']));
    // Nothing is written: the tree is what --dry-run diffs and the templates step writes.
    expect(await fs.readFile(path.join(root, '.gitignore'), 'utf8')).toBe('node_modules\n');
  });
});

describe('.env.local', async () => {
  const { mergeEnvFile, readEnvFile } = await import('../../src/files/env-file.js');
  it('merges without clobbering, round-trips odd values, and is 0600', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cak-env-'));
    await fs.outputFile(path.join(root, '.env.local'), '# from convex\nCONVEX_DEPLOYMENT=dev:a-b-1 # team: t, project: p\nMINE=keep\n');
    const odd = `pa ss#word'"with=stuff`;
    const r = await mergeEnvFile(root, { MINE: 'changed', NEW_ONE: odd, CONVEX_DEPLOYMENT: 'dev:a-b-1' }, { comment: 'WorkOS' });
    expect(r).toEqual({ added: ['NEW_ONE'], kept: ['MINE'] });
    const env = await readEnvFile(root);
    expect(env).toMatchObject({ CONVEX_DEPLOYMENT: 'dev:a-b-1', MINE: 'keep', NEW_ONE: odd });
    expect((await fs.stat(path.join(root, '.env.local'))).mode & 0o777).toBe(0o600);
    await mergeEnvFile(root, { MINE: 'changed' }, { overwrite: ['MINE'] });
    expect((await readEnvFile(root)).MINE).toBe('changed');
    expect(await fs.readFile(path.join(root, '.env.local'), 'utf8')).toContain('# from convex');
  });
});
