/**
 * The scripts a newcomer runs from a clone: `bin/dev` (the CLI from the checkout) and `bin/try` (the
 * CLI against the offline world). Both are run for real.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { describe, expect, it } from 'vitest';
import { cliFlags } from '../../src/options/flags.js';
import { fakeKeys, repoRoot } from '../helpers/cli.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'cak-bin-'));
const runBin = (file: string, args: string[], opts: { cwd: string; env?: Record<string, string> }) =>
  execa(file, args, { cwd: opts.cwd, env: { CI: 'true', ...fakeKeys, ...opts.env }, reject: false, all: true, stdin: 'ignore', timeout: 90_000 });
const gitStatus = async () => (await execa('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repoRoot })).stdout;

describe('bin/dev', () => {
  it('prints no build chatter, even when it has to build', async () => {
    // A checkout whose bundle is not built yet (its dependencies are this one's).
    const clone = tmp();
    for (const entry of ['bin', 'src', 'templates', 'test/setup.sh', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsup.config.ts'])
      await fs.copy(path.join(repoRoot, entry), path.join(clone, entry), { preserveTimestamps: true });
    await fs.symlink(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'));
    const env = { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` };
    const r = await runBin(path.join(clone, 'bin/dev'), ['--version'], { cwd: tmp(), env });
    expect(r.exitCode, r.all).toBe(0);
    expect(await fs.pathExists(path.join(clone, 'dist/cli.js'))).toBe(true);
    expect(r.all.trim()).toBe((await fs.readJson(path.join(repoRoot, 'package.json'))).version);
  }, 90_000);

  it.each([[[]], [['my-app']], [['--yes', 'src/app']], [['--workos-client-id', 'client_x', '--yes']]])(
    'run inside the checkout as `bin/dev %j`, it creates nothing there and names the fix (exit 2)',
    async (args) => {
      const before = await gitStatus();
      const r = await runBin(path.join(repoRoot, 'bin/dev'), args, { cwd: repoRoot });
      expect(r.exitCode, r.all).toBe(2);
      expect(r.stderr).toContain('inside this checkout');
      expect(r.stderr).toContain('bin/dev ../my-app');
      expect(await gitStatus()).toBe(before);
    },
    60_000,
  );

  it('skips the value of every option that takes one when it looks for the directory', () => {
    const script = readFileSync(path.join(repoRoot, 'bin/dev'), 'utf8');
    const valued = [...cliFlags().map((f) => f.flag).filter((f) => f.includes('<')).map((f) => f.split(' ')[0]!), '--token'];
    for (const flag of valued) expect(script, flag).toMatch(new RegExp(`${flag}( \\||\\))`));
  });

  it('its README example takes the API key from the environment', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const example = readme.split('\n').find((l) => l.includes('bin/dev ') && l.includes('sk_test_'));
    expect(example).toMatch(/^WORKOS_API_KEY=sk_test_\S* bin\/dev \.\.\//);
    expect(example).not.toContain('--workos-api-key');
  });
});

describe('bin/try', () => {
  it('without a directory, plans the app in a new temporary folder outside the checkout', async () => {
    const r = await runBin(path.join(repoRoot, 'bin/try'), ['--dry-run'], { cwd: repoRoot });
    expect(r.exitCode, r.all).toBe(0);
    const target = /Plan for (\S+)/.exec(r.all)?.[1];
    expect(target, r.all).toMatch(new RegExp(`^${os.tmpdir()}/authkit-convex-try-[^/]+/my-app$`));
    expect(r.all).toContain('bin/try: nothing was created.');
    expect(await fs.pathExists(path.dirname(target!))).toBe(false);
  }, 60_000);
});
