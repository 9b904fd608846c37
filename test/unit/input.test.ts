/**
 * Pasted keys and bad flag values: whitespace from a paste is trimmed, and what is still wrong is said
 * in words that name the flag (never zod's own "Invalid input" or "Too small").
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/options/resolve.js';
import { fakeKeys, runCli } from '../helpers/cli.js';

const key = 'sk_test_abcdefgh12345678';
const clientId = 'client_01ABCDEFGH12';
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'cak-input-'));
const resolveError = (flags: Record<string, unknown>) => resolveOptions({ flags: { directory: 'a', ...flags }, env: {} }).catch((e: Error) => e.message);

describe('pasted keys and IDs', () => {
  it('loses the whitespace and newlines a paste brings', async () => {
    const options = await resolveOptions({ flags: { directory: 'a', workosApiKey: `  ${key}\r\n` }, env: { WORKOS_CLIENT_ID: `\t${clientId}\n` } });
    expect(options.workosApiKey).toBe(key);
    expect(options.workosClientId).toBe(clientId);
  });

  it('says what is still wrong, naming the flag, without echoing the key', async () => {
    const spaced = 'sk_test_abcd efgh12345678';
    let message = await resolveError({ workosApiKey: spaced, workosClientId: clientId });
    expect(message).toMatch(/^--workos-api-key: The WorkOS API key contains a space\./);
    expect(message).not.toContain(spaced);
    expect(message).not.toMatch(/must start with/);
    message = await resolveError({ workosApiKey: 'sk_test_abcd\nefgh12345678', workosClientId: clientId });
    expect(message).toMatch(/contains a line break/);
    message = await resolveError({ workosApiKey: clientId, workosClientId: key });
    expect(message).toMatch(/--workos-api-key: The WorkOS API key looks like a client ID/);
    expect(message).toMatch(/--workos-client-id: The WorkOS client ID looks like an API key/);
    expect(message).not.toContain(key);
    message = await resolveError({ workosApiKey: `"${key}"`, workosClientId: clientId });
    expect(message).toMatch(/wrapped in quotes/);
    message = await resolveError({ workosApiKey: 'sk_test_abc', workosClientId: clientId });
    expect(message).toMatch(/too short/);
  });
});

describe('bad flag values are sentences naming the flag', () => {
  it('--timeout abc', async () => {
    const cwd = tmp();
    const r = await runCli(['my-app', '--yes', '--timeout', 'abc'], { cwd, env: fakeKeys });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--timeout takes a whole number of seconds');
    expect(r.stderr).not.toMatch(/Invalid input|expected number|NaN/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an empty directory name', async () => {
    const cwd = tmp();
    const r = await runCli(['', '--yes'], { cwd, env: fakeKeys });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/The project directory is empty: name one/);
    expect(r.stderr).not.toMatch(/Too small|expected string/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an unknown package manager', async () => {
    const r = await runCli(['my-app', '--yes', '--package-manager', 'pip'], { cwd: tmp(), env: fakeKeys });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--package-manager must be one of npm, pnpm, yarn, bun.');
  });
});
