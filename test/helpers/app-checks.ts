/** What every generated app must pass, run inside it: types, lint, its own tests, an offline build. */
import { execa } from 'execa';
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
      ['npx', ['eslint', '.']],
    ] as const) {
      const r = await inApp(getApp(), cmd, [...args]);
      expect(r.exitCode, `${args.join(' ')}\n${r.all}`).toBe(0);
    }
  }, 5 * 60_000);

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
