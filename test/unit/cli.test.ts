import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { describe, expect, it } from 'vitest';
import { optionNames, flagOf } from '../../src/options/schema.js';
import { fakeKeys, runCli } from '../helpers/cli.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'cak-cli-'));
const noKeys = { WORKOS_API_KEY: undefined, WORKOS_CLIENT_ID: undefined };

describe('the command line', () => {
  it('--help lists every option of the contract', async () => {
    const { exitCode, stdout } = await runCli(['--help'], { cwd: tmp() });
    expect(exitCode).toBe(0);
    for (const name of optionNames.filter((n) => n !== 'directory')) expect(stdout).toContain(flagOf(name));
    for (const flag of ['--no-webhooks', '--no-install', '--no-git', '-v, --version', 'doctor']) expect(stdout).toContain(flag);
  });

  it('runs the same convex CLI version that the generated app pins', async () => {
    const { appDependencies } = await import('../../src/versions.js');
    const pkg = await fs.readJson(path.resolve(__dirname, '../../package.json'));
    expect(pkg.dependencies.convex).toBe(appDependencies.convex);
  });

  it('--version prints the package version', async () => {
    const pkg = await fs.readJson(path.resolve(__dirname, '../../package.json'));
    const { exitCode, stdout } = await runCli(['--version'], { cwd: tmp() });
    expect(exitCode).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('without a TTY and without keys, fails at once with exit 2 naming --workos-api-key', async () => {
    const cwd = tmp();
    const { exitCode, stderr } = await runCli(['my-app'], { cwd, env: noKeys });
    expect(exitCode).toBe(2);
    expect(stderr).toContain('--workos-api-key');
    expect(stderr).toContain('--workos-client-id');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--json reports the error as a JSON event', async () => {
    const { exitCode, stdout } = await runCli(['my-app', '--json'], { cwd: tmp(), env: noKeys });
    expect(exitCode).toBe(2);
    const event = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(event).toMatchObject({ type: 'error', exitCode: 2 });
    expect(event.message).toContain('--workos-api-key');
  });

  it('--dry-run prints the whole plan and touches nothing', async () => {
    const cwd = tmp();
    const { exitCode, stdout } = await runCli(['my-app', '--dry-run'], { cwd, env: fakeKeys });
    expect(exitCode).toBe(0);
    for (const title of ['Verify the WorkOS keys', 'Create the Next.js app', 'Install dependencies', 'Add shadcn/ui', 'Provision a Convex deployment', 'Push to Convex', 'Initialize git'])
      expect(stdout).toContain(title);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a non-empty directory, an invalid package name, and an unknown package manager', async () => {
    const cwd = tmp();
    await fs.outputFile(path.join(cwd, 'taken/file.txt'), 'x');
    let r = await runCli(['taken', '--yes'], { cwd, env: fakeKeys });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
    r = await runCli(['Bad Name', '--yes'], { cwd, env: fakeKeys });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/npm package/);
    r = await runCli(['ok-app', '--package-manager', 'pip'], { cwd, env: fakeKeys });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--package-manager');
    expect(readdirSync(cwd)).toEqual(['taken']);
  });

  it('never prints a secret given on the command line', async () => {
    const secret = 'sk_test_neverPrintMe0123456789';
    const r = await runCli(['my-app', '--dry-run', '--workos-api-key', secret, '--workos-client-id', fakeKeys.WORKOS_CLIENT_ID, '--json'], { cwd: tmp() });
    expect(r.exitCode).toBe(0);
    expect(r.all).not.toContain(secret);
  });

  it('doctor outside a project exits 2 and says where to run it', async () => {
    let r = await runCli(['doctor'], { cwd: tmp() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not a project folder \(no package\.json\)/);
    expect(r.stderr).toContain('Fix: Run create-authkit-convex doctor in the root folder');
    const cwd = tmp();
    await fs.writeJson(path.join(cwd, 'package.json'), { name: 'not-convex', dependencies: { next: '16.0.0' } });
    r = await runCli(['doctor', '--json'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ type: 'error', exitCode: 2, message: expect.stringContaining('not a Convex project') });
  });

  it('refuses to add a feature outside a project it made, saying what is missing', async () => {
    const cwd = tmp();
    let r = await runCli(['--add-sso'], { cwd, env: fakeKeys });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not a project made by create-authkit-convex/);
    await fs.writeJson(path.join(cwd, 'package.json'), { name: 'hand-made', dependencies: { next: '16.0.0' } });
    r = await runCli(['--add-webhooks'], { cwd, env: fakeKeys });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/lacks convex, @workos-inc\/authkit-nextjs/);
    expect(readdirSync(cwd)).toEqual(['package.json']);
  });
});
