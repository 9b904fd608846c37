/**
 * No dead ends: every state a new user can get into has a way forward that the CLI names. A target
 * under missing folders, a folder with only a git repository in it, --no-install and the one command
 * that then finishes the setup, and running again inside the project made.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { borrowInstall } from '../helpers/prepared-app.js';
import { useWorld } from '../helpers/use-world.js';

// A case runs create-next-app, then the rest of the setup (with an install) in a second run.
vi.setConfig({ testTimeout: 8 * 60_000 });

const world = useWorld();
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'cak-dead-'));
const run = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  runCli(args, { cwd, env: { ...world().env(), ...env }, timeoutMs: 8 * 60_000 });
/** The keys come from the project's .env.local on the second run, as the next-steps box promises. */
const noKeys = { WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' };
const manifestOf = (app: string) => fs.readJson(path.join(app, 'authkit-convex.json'));
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd }).then((r) => r.stdout.trim());

function deploymentOf(name: string) {
  const project = world().convex.state.projects.find((p) => p.name === name)!;
  return world().convex.state.deployments.find((d) => d.projectId === project.id)!;
}

describe('the target directory', () => {
  it('under a file: exit 2 before any network call', async () => {
    const cwd = tmp();
    await fs.writeFile(path.join(cwd, 'apps'), 'a file, not a folder');
    const before = world().workos.requests.length;
    const r = await run(['apps/web', '--yes'], cwd);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr).toMatch(/apps is a file, not a folder/);
    expect(world().workos.requests.length).toBe(before);
    expect(await fs.readdir(cwd)).toEqual(['apps']);
  });

  it('not empty: exit 2 naming what is in it, before any network call', async () => {
    const cwd = tmp();
    await fs.outputFile(path.join(cwd, 'taken/notes.txt'), 'mine');
    const before = world().workos.requests.length;
    const r = await run(['taken', '--yes'], cwd);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not empty: it holds notes\.txt/);
    expect(world().workos.requests.length).toBe(before);
  });
});

describe('--no-install, then the one command that finishes', () => {
  it('creates missing parents, skips (not completes) the install, and the command in the box finishes with a clean first commit', async () => {
    const cwd = tmp();
    const first = await run(['apps/web', '--yes', '--no-install'], cwd);
    expect(first.exitCode, first.all).toBe(0);
    const app = path.join(cwd, 'apps/web');
    expect(await fs.pathExists(path.join(app, 'package.json'))).toBe(true);
    const manifest = await manifestOf(app);
    expect(manifest.completedSteps['create-app']).toBeTruthy();
    expect(manifest.completedSteps.install).toBeUndefined();
    // The box gives the command; the run below is exactly it (keys from .env.local).
    expect(first.stdout).toContain('npx create-authkit-convex apps/web');

    await borrowInstall(world(), app);
    const done = await run(['apps/web'], cwd, noKeys);
    expect(done.exitCode, done.all).toBe(0);
    expect((await manifestOf(app)).completedSteps['push-convex']).toBeTruthy();
    expect(deploymentOf('web').pushes.length).toBeGreaterThanOrEqual(1);
    expect(await fs.pathExists(path.join(app, 'src/components/ui/button.tsx'))).toBe(true);
    // The first commit holds the whole project, its final manifest included.
    expect(await git(app, 'status', '--porcelain')).toBe('');
    expect((await git(app, 'log', '--oneline')).split('\n')).toHaveLength(1);
  });
});

describe('a folder holding only a git repository (and files create-next-app tolerates)', () => {
  const cwd = tmp();
  const app = path.join(cwd, 'in-repo');

  it('is accepted, and its .git, .gitignore and LICENSE stay', async () => {
    await fs.ensureDir(app);
    await fs.writeFile(path.join(app, '.gitignore'), 'my-private-notes.txt\n');
    await fs.writeFile(path.join(app, 'LICENSE'), 'My licence\n');
    await git(app, 'init', '-q');
    await execa('git', ['add', '-A'], { cwd: app });
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'mine'], { cwd: app });
    const head = await git(app, 'rev-parse', 'HEAD');

    const first = await run(['in-repo', '--yes', '--no-install'], cwd);
    expect(first.exitCode, first.all).toBe(0);
    const gitignore = await fs.readFile(path.join(app, '.gitignore'), 'utf8');
    expect(gitignore.startsWith('my-private-notes.txt\n')).toBe(true);
    expect(gitignore).toMatch(/node_modules/);
    expect(await fs.readFile(path.join(app, 'LICENSE'), 'utf8')).toBe('My licence\n');
    expect(await git(app, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('run again inside it with no directory: says so and points to --add-* and doctor', async () => {
    const r = await run(['--yes'], app);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/already a project made by create-authkit-convex/);
    expect(r.stderr).toContain('npx create-authkit-convex . completes it');
    expect(r.stderr).toContain('--add-webhooks');
    expect(r.stderr).toContain('doctor');
    expect(await fs.pathExists(path.join(app, 'my-app'))).toBe(false);
  });

  it('finishing it installs (with live progress while steps wait for the install), and commits nothing into the user\'s repository', async () => {
    const head = await git(app, 'rev-parse', 'HEAD');
    const done = await run(['in-repo', '--json'], cwd, noKeys);
    expect(done.exitCode, done.all).toBe(0);
    const events = done.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; time: string; waitingFor?: string; seconds?: number });
    const waits = events.filter((e) => e.type === 'progress' && e.waitingFor === 'Install dependencies');
    expect(waits.length, done.stdout).toBeGreaterThan(0);
    // While steps wait, an event comes at least every few seconds.
    const times = waits.map((e) => Date.parse(e.time));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThan(4000);
    expect(await git(app, 'rev-parse', 'HEAD')).toBe(head);
    expect((await manifestOf(app)).completedSteps['push-convex']).toBeTruthy();
  });
});
