/** What every generated app must pass, run inside it: types, lint, its own tests, an offline build. */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import fs from 'fs-extra';
import { expect, it } from 'vitest';

/** `NODE_OPTIONS` that make every Node process of a command fail to reach any host but this one. */
export const noNetwork = `--import=${pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'no-network.mjs')).href}`;

export function inApp(app: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  return execa(cmd, args, {
    cwd: app,
    env: { CI: 'true', NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    all: true,
    reject: false,
    timeout: 5 * 60_000,
  });
}

/**
 * The `run:` commands of the app's CI workflow, in order. The workflow is our own template, one command
 * per `- run:` line, so a line match reads it (no YAML parser for one list).
 */
export async function ciCommands(app: string): Promise<string[]> {
  const workflow = await fs.readFile(path.join(app, '.github/workflows/ci.yml'), 'utf8');
  return [...workflow.matchAll(/^\s*- run: (.+)$/gm)].map((m) => m[1]!.trim());
}

/** Runs one workflow command in the app, as the runner's shell does. */
function runCi(app: string, command: string, env: Record<string, string> = {}) {
  return execa(command, {
    cwd: app,
    shell: true,
    env: { CI: 'true', NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    all: true,
    reject: false,
    timeout: 5 * 60_000,
  });
}

/**
 * What every generated app must pass: the commands of its own CI workflow (.github/workflows/ci.yml),
 * run in it here — types, lint, its tests, an offline build. The install is the one step not run
 * again (the app is installed already): it is checked to be the lockfile-exact one.
 */
export function itPassesAppChecks(getApp: () => string): void {
  /** The workflow's commands for one check; each must be there. */
  const commands = async (pattern: RegExp) => {
    const all = (await ciCommands(getApp())).filter((c) => pattern.test(c));
    expect(all.length, `ci.yml has no command matching ${pattern}`).toBeGreaterThan(0);
    return all;
  };

  it('ships a CI workflow that needs no secrets and runs every check below', async () => {
    const workflow = await fs.readFile(path.join(getApp(), '.github/workflows/ci.yml'), 'utf8');
    expect(workflow).not.toMatch(/secrets\.|_KEY|PASSWORD|WORKOS_|CONVEX_/);
    const all = await ciCommands(getApp());
    // Install from the lockfile, then the checks this suite runs (nothing in the workflow goes unrun).
    expect(all[0]).toMatch(/^(npm ci|pnpm install --frozen-lockfile|yarn install --(immutable|frozen-lockfile)|bun install --frozen-lockfile)$/);
    expect(all.slice(1).every((c) => CHECKS.some((p) => p.test(c))), all.join('\n')).toBe(true);
  });

  it('type-checks and lints', async () => {
    for (const command of await commands(TYPES_AND_LINT)) {
      const r = await runCi(getApp(), command);
      expect(r.exitCode, `${command}\n${r.all}`).toBe(0);
      // Warnings do not change eslint's exit code, so none may be printed.
      if (/\blint$/.test(command)) expect(r.all, r.all).not.toMatch(/\b(warning|error)\b|problems?\b/i);
    }
  }, 5 * 60_000);

  it('its README names doctor and the one setting only the WorkOS dashboard has', async () => {
    const readme = await fs.readFile(path.join(getApp(), 'README.md'), 'utf8');
    expect(readme).toContain('npx create-authkit-convex doctor');
    expect(readme).toMatch(/Sign-in endpoint/);
    expect(readme).toContain('http://localhost:3000/sign-in');
  });

  it("passes the app's own tests", async () => {
    for (const command of await commands(TESTS)) {
      const tests = await runCi(getApp(), command);
      expect(tests.exitCode, tests.all).toBe(0);
      expect(tests.all).toMatch(/Tests\s+\d+ passed/);
    }
  }, 5 * 60_000);

  it('builds offline', async () => {
    // Outside traffic refused (a font or any other download would fail the build), telemetry on as users have it.
    for (const command of await commands(BUILD)) {
      const build = await runCi(getApp(), command, { NODE_OPTIONS: noNetwork, NEXT_TELEMETRY_DISABLED: '' });
      expect(build.exitCode, build.all).toBe(0);
    }
  }, 5 * 60_000);
}

/** The workflow's checks, by kind. */
const TYPES_AND_LINT = /\bnext typegen$|\btsc --noEmit$|\blint$/;
const TESTS = /\btest$/;
const BUILD = /\bnext build$/;
const CHECKS = [TYPES_AND_LINT, TESTS, BUILD];
