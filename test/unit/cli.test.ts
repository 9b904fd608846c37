import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { optionNames, flagOf } from '../../src/options/schema.js';
import { cliPath, fakeKeys, runCli } from '../helpers/cli.js';

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

  it('refuses organizations without the webhook sync (exit 2, the fix named), at creation and in a project without webhooks, writing nothing', async () => {
    const cwd = tmp();
    let r = await runCli(['my-app', '--yes', '--no-webhooks', '--organizations'], { cwd, env: fakeKeys });
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr).toContain('--organizations needs webhooks');
    expect(r.stderr).toContain('Drop --no-webhooks.');
    expect(readdirSync(cwd)).toEqual([]);

    // A project this tool made without webhooks (its manifest says so).
    const manifest = { cliVersion: '0.1.0', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', options: { packageManager: 'npm', redirectUri: 'http://localhost:3000/callback', webhooks: false, sso: false, git: false }, features: ['base'], completedSteps: {}, files: {} };
    await fs.writeJson(path.join(cwd, 'authkit-convex.json'), manifest);
    await fs.writeJson(path.join(cwd, 'package.json'), { name: 'made' });
    r = await runCli(['--add-organizations'], { cwd, env: fakeKeys });
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr).toContain('which this project does not have');
    expect(r.stderr).toContain('create-authkit-convex --add-webhooks --add-organizations');
    expect(await fs.readJson(path.join(cwd, 'authkit-convex.json'))).toEqual(manifest);
    expect(readdirSync(cwd).sort()).toEqual(['authkit-convex.json', 'package.json']);
  });
});

describe('the Node.js version guard', () => {
  /** The launcher under `node`, with process.versions.node made to read `version` (when given) before it starts. */
  const launch = (node: string, args: string[], cwd: string, version?: string) =>
    execa(node, [...(version ? ['--import', `data:text/javascript,Object.defineProperty(process, "versions", { value: { ...process.versions, node: "${version}" } })`] : []), cliPath, ...args], {
      cwd,
      env: { CI: 'true', ...fakeKeys },
      reject: false,
      all: true,
    });

  it('refuses Node.js 22.10 with exit 2 and the fix, before touching anything; 22.11 is let through', async () => {
    const cwd = tmp();
    const old = await launch(process.execPath, ['my-app', '--yes'], cwd, '22.10.0');
    expect(old.exitCode, String(old.all)).toBe(2);
    expect(old.stderr).toBe(
      'create-authkit-convex needs Node.js 22.11 or newer (this is 22.10.0).\n  Fix: install a current Node.js LTS (https://nodejs.org) and run the command again.',
    );
    expect(readdirSync(cwd)).toEqual([]);
    const ok = await launch(process.execPath, ['--version'], cwd, '22.11.0');
    expect(ok.exitCode, String(ok.all)).toBe(0);
    expect(ok.stdout.trim()).toBe((await fs.readJson(path.resolve(__dirname, '../../package.json'))).version);
  });

  it("says the same under a real older Node.js (the machine's, when it is older than 22.11)", async () => {
    // test/setup.sh puts Node 22 first on PATH only when the machine's node is older: look behind it.
    const found = (await execa('which', ['-a', 'node'], { reject: false })).stdout.split('\n').filter((p) => p && p !== process.execPath);
    const versions = await Promise.all(found.map(async (node) => ({ node, version: (await execa(node, ['--version'], { reject: false })).stdout.trim().slice(1) })));
    const older = versions.find(({ version }) => {
      const [major = 0, minor = 0] = version.split('.').map(Number);
      return major < 22 || (major === 22 && minor < 11);
    });
    // No older Node on this machine: the faked version above is the proof.
    if (!older) return;
    const cwd = tmp();
    const run = await launch(older.node, ['my-app', '--yes'], cwd);
    expect(run.exitCode, String(run.all)).toBe(2);
    expect(run.stderr).toContain(`needs Node.js 22.11 or newer (this is ${older.version})`);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
