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

export function itPassesAppChecks(getApp: () => string): void {
  it('type-checks and lints', async () => {
    for (const [cmd, args] of [
      ['npx', ['next', 'typegen']],
      ['npx', ['tsc', '--noEmit']],
    ] as const) {
      const r = await inApp(getApp(), cmd, [...args]);
      expect(r.exitCode, `${args.join(' ')}\n${r.all}`).toBe(0);
    }
    // As a user runs it: the app's own script. Warnings do not change eslint's exit code, so none may be printed.
    const lint = await inApp(getApp(), 'npm', ['run', 'lint']);
    expect(lint.exitCode, lint.all).toBe(0);
    expect(lint.all, lint.all).not.toMatch(/\b(warning|error)\b|problems?\b/i);
  }, 5 * 60_000);

  it('its README names doctor and the one setting only the WorkOS dashboard has', async () => {
    const readme = await fs.readFile(path.join(getApp(), 'README.md'), 'utf8');
    expect(readme).toContain('npx create-authkit-convex doctor');
    expect(readme).toMatch(/Sign-in endpoint/);
    expect(readme).toContain('http://localhost:3000/sign-in');
  });

  it("passes the app's own tests", async () => {
    const tests = await inApp(getApp(), 'npm', ['test']);
    expect(tests.exitCode, tests.all).toBe(0);
    expect(tests.all).toMatch(/Tests\s+\d+ passed/);
  }, 5 * 60_000);

  it('builds offline', async () => {
    // Outside traffic refused (a font or any other download would fail the build), telemetry on as users have it.
    const build = await inApp(getApp(), 'npx', ['next', 'build'], { NODE_OPTIONS: noNetwork, NEXT_TELEMETRY_DISABLED: '' });
    expect(build.exitCode, build.all).toBe(0);
  }, 5 * 60_000);
}
