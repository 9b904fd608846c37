/**
 * The interactive run, as a person at a terminal meets it: the real CLI in a real pseudo-terminal
 * (util-linux `script`), keys typed wrong then right, and a cancel. Nothing here is mocked but the
 * outside services (the offline world).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import fs from 'fs-extra';
import { describe, expect, it, vi } from 'vitest';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { useWorld } from '../helpers/use-world.js';

vi.setConfig({ testTimeout: 2 * 60_000 });

// Two Convex teams: the run stops at a prompt (which team?) once the keys are through, and is cancelled there.
const world = useWorld({ teams: [{ slug: 'acme', name: 'Acme' }, { slug: 'globex', name: 'Globex' }] });

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]/g;

/** The CLI in a pseudo-terminal: what it has drawn so far (colours stripped), and keys to type. */
function inTerminal(args: string[], cwd: string, env: Record<string, string>) {
  const command = ['stty cols 160 rows 50;', 'exec', JSON.stringify(process.execPath), JSON.stringify(cliPath), ...args.map((a) => JSON.stringify(a))].join(' ');
  const child: ResultPromise = execa('script', ['-qfec', command, '/dev/null'], {
    cwd,
    env: { ...env, CI: '', TERM: 'xterm-256color' },
    extendEnv: true,
    reject: false,
    stdin: 'pipe',
  });
  let screen = '';
  child.stdout!.on('data', (d: Buffer) => (screen += d.toString('utf8')));
  const text = () => screen.replace(ANSI, '');
  return {
    child,
    text,
    /** Waits until the screen shows `pattern` after offset `from`; resolves to where the match ends. */
    async waitFor(pattern: RegExp, from = 0, timeoutMs = 60_000): Promise<number> {
      const started = Date.now();
      for (;;) {
        const m = pattern.exec(text().slice(from));
        if (m) return from + m.index + m[0].length;
        if (Date.now() - started > timeoutMs) throw new Error(`the screen never showed ${pattern}:\n${text()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    type(keys: string) {
      child.stdin!.write(keys);
    },
  };
}

describe('an interactive run', () => {
  it('shows the version, validates keys as they are typed, asks again for a key WorkOS rejects, and cancels with one message', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cak-pty-'));
    const { version } = await fs.readJson(path.join(repoRoot, 'package.json'));
    const t = inTerminal([], cwd, { ...world().env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' });

    await t.waitFor(new RegExp(`create-authkit-convex ${version.replace(/\./g, '\\.')}`));
    await t.waitFor(/Where should the project be created\?/);
    expect(t.text()).toContain('my-app'); // the placeholder
    t.type('pty-app\r');

    // No keys given: first, which way (the second choice is "I have WorkOS keys").
    await t.waitFor(/Create a WorkOS environment for me \(through Convex\)/);
    expect(t.text()).toContain('I have WorkOS keys');
    t.type('\x1b[B\r');

    await t.waitFor(/WorkOS API key/);
    t.type('sk_test_pasted with a space\r');
    await t.waitFor(/The WorkOS API key contains a space/);
    t.type('\x7f'.repeat(40) + 'sk_test_notTheRightKey000000\r');

    await t.waitFor(/WorkOS client ID/);
    expect(t.text()).toContain('client_01…'); // the placeholder
    t.type(`${world().workos.clientId}\r`);

    // WorkOS says no: the key is asked for again instead of ending the run.
    const rejected = await t.waitFor(/WorkOS rejected the API key/);
    await t.waitFor(/WorkOS API key \(/, rejected);
    t.type(`${world().workos.apiKey}\r`);

    await t.waitFor(/Which Convex team should own the project\?/);
    t.type('\x03'); // Ctrl-C
    const result = await t.child;
    const screen = t.text();
    expect(result.exitCode, screen).toBe(130);
    expect(screen.match(/Cancel/gi) ?? [], screen).toHaveLength(1);
    expect(screen).not.toContain(world().workos.apiKey);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('"through Convex": no key is asked; a Convex team without a WorkOS team offers the account\'s emails, and the one chosen creates it', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cak-pty-'));
    const mw = world().convex.managedWorkos;
    mw.emails = ['you@example.com', 'work@example.com'];
    mw.teams.clear();
    // The run is stopped right after the WorkOS team: create-next-app cannot be fetched.
    world().npm.fail({ path: /./ }, { status: 503, times: 1000 });
    const env = { ...world().env(), ...world().npm.env(), npm_config_fetch_retries: '0', WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' };
    const t = inTerminal(['managed-pty', '--convex-team', 'globex'], cwd, env);
    await t.waitFor(/Create a WorkOS environment for me \(through Convex\)/);
    t.type('\r');
    await t.waitFor(/Create the WorkOS team with which email\?/);
    expect(t.text()).toContain('workos.com/legal/terms-of-service');
    t.type('\x1b[B\r'); // the second email
    const result = await t.child;
    const screen = t.text();
    expect(screen).not.toMatch(/WorkOS API key/);
    expect(screen).toContain('Created the WorkOS team "Globex" for the Convex team globex (admin: work@example.com)');
    expect(result.exitCode, screen).toBe(1); // at create-app, stopped by the test
    expect(mw.teams.get(world().convex.teams.find((t) => t.slug === 'globex')!.id)?.adminEmail).toBe('work@example.com');
  });

  it('a cancel at the first prompt: one message, exit 130, nothing written', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cak-pty-'));
    const t = inTerminal([], cwd, { ...world().env(), WORKOS_API_KEY: '', WORKOS_CLIENT_ID: '' });
    await t.waitFor(/Where should the project be created\?/);
    t.type('\x03');
    const result = await t.child;
    expect(result.exitCode, t.text()).toBe(130);
    expect(t.text().match(/Cancel/gi) ?? [], t.text()).toHaveLength(1);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
