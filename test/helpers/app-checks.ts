/** What every generated app must pass, run inside it: types, lint, its own tests, an offline build. */
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { expect, it } from 'vitest';

export function inApp(app: string, cmd: string, args: string[]) {
  return execa(cmd, args, {
    cwd: app,
    env: { CI: 'true', NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
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
    const build = await inApp(getApp(), 'npx', ['next', 'build']);
    expect(build.exitCode, build.all).toBe(0);
  }, 5 * 60_000);
}
