import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { acquireLock, LOCK_FILE } from '../../src/lock.js';

const dir = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-lock-')), 'app');

describe('project lock', () => {
  it('refuses a project whose lock is held by a live process, naming its pid', async () => {
    const project = dir();
    const holder = execa(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      await fs.outputJson(path.join(project, LOCK_FILE), { pid: holder.pid, startedAt: new Date().toISOString() });
      let error: unknown;
      try {
        acquireLock(project);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as UsageError).message).toContain(`pid ${holder.pid}`);
      // Its lock is left alone.
      expect((await fs.readJson(path.join(project, LOCK_FILE))).pid).toBe(holder.pid);
    } finally {
      holder.kill();
      await holder.catch(() => {});
    }
  });

  it('takes over a lock whose process is gone, and a garbled one', async () => {
    const gone = execa(process.execPath, ['-e', '']);
    await gone;
    for (const content of [JSON.stringify({ pid: gone.pid, startedAt: '2020-01-01T00:00:00Z' }), 'half-writ']) {
      const project = dir();
      await fs.outputFile(path.join(project, LOCK_FILE), content);
      acquireLock(project);
      expect((await fs.readJson(path.join(project, LOCK_FILE))).pid).toBe(process.pid);
      expect(readdirSync(project)).toEqual([LOCK_FILE]);
    }
  });
});
