/** Whether a folder holds only files this tool wrote, unchanged (what decides the push's type check). */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/files/tree.js';
import { onlyOurFiles } from '../../src/files/untouched.js';

const CODE = /\.(?:[cm]?[jt]sx?|json)$/;
let dir: string;
let owned: Record<string, string>;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cak-untouched-'));
  owned = {};
  for (const [rel, content] of [['convex/schema.ts', 'export default 1;\n'], ['convex/workos/sync.ts', 'export const a = 1;\n']]) {
    await fs.outputFile(path.join(dir, rel!), content!);
    owned[rel!] = sha256(content!);
  }
  await fs.outputFile(path.join(dir, 'convex/_generated/api.d.ts'), 'generated\n');
  await fs.outputFile(path.join(dir, 'convex/README.md'), 'written by the convex CLI\n');
});

describe('onlyOurFiles', () => {
  it('says yes when every code file is ours and unchanged (generated code and a README aside)', async () => {
    expect(await onlyOurFiles(dir, 'convex', owned, { only: CODE, skip: ['_generated'] })).toBe(true);
  });

  it('says no for a file the user changed', async () => {
    await fs.appendFile(path.join(dir, 'convex/workos/sync.ts'), '// mine\n');
    expect(await onlyOurFiles(dir, 'convex', owned, { only: CODE, skip: ['_generated'] })).toBe(false);
  });

  it('says no for a file the user added, however deep', async () => {
    await fs.outputFile(path.join(dir, 'convex/lib/mine/notes.ts'), 'export const b = 2;\n');
    expect(await onlyOurFiles(dir, 'convex', owned, { only: CODE, skip: ['_generated'] })).toBe(false);
  });

  it('looks into a skipped folder only when told to', async () => {
    expect(await onlyOurFiles(dir, 'convex', owned, { only: CODE })).toBe(false);
  });

  it('says no for a folder that is not there', async () => {
    expect(await onlyOurFiles(dir, 'elsewhere', owned)).toBe(false);
  });
});
