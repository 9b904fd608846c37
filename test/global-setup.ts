/** One scratch folder per test run, shared by the test files (e.g. the prepared base app). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cak-run-'));
  process.env.CAK_TEST_CACHE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
