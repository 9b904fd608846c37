import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { isInteractive, resolveOptions } from '../../src/options/resolve.js';
import { manifestOptions } from '../../src/options/schema.js';
import { detectPackageManager } from '../../src/systems/package-manager.js';

const key = 'sk_test_abcdefgh12345678';
const clientId = 'client_01ABCDEFGH12';

describe('resolveOptions', () => {
  it('takes flags over env, env over defaults', async () => {
    const options = await resolveOptions({
      flags: { directory: 'my-app', workosApiKey: key },
      env: { WORKOS_API_KEY: 'sk_test_fromEnvironment', WORKOS_CLIENT_ID: clientId },
    });
    expect(options.workosApiKey).toBe(key);
    expect(options.workosClientId).toBe(clientId);
    expect(options.redirectUri).toBe('http://localhost:3000/callback');
    expect(options.webhooks).toBe(true);
    expect(options.sso).toBe(false);
    expect(options.convexProject).toBe('my-app');
  });

  it('lists every missing required flag at once', async () => {
    const error = await resolveOptions({ flags: { directory: 'x' }, env: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('--workos-api-key');
    expect(error.message).toContain('--workos-client-id');
  });

  it('asks only when an asker is given, and uses the answers', async () => {
    const asked: string[] = [];
    const options = await resolveOptions({
      flags: {},
      env: {},
      asker: {
        ask: async (name) => {
          asked.push(name);
          return { directory: 'from-prompt', workosApiKey: key, workosClientId: clientId }[name as string];
        },
      },
    });
    expect(asked).toEqual(['directory', 'workosApiKey', 'workosClientId']);
    expect(options.directory).toBe('from-prompt');
  });

  it('rejects badly shaped keys without echoing the key', async () => {
    const secret = 'pk_live_notAnApiKeyButSecret';
    const error = await resolveOptions({
      flags: { directory: 'a', workosApiKey: secret, workosClientId: 'cli_nope' },
      env: {},
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/--workos-api-key: .*sk_test_/);
    expect(error.message).toMatch(/--workos-client-id: .*client_/);
    expect(error.message).not.toContain(secret);
  });

  it('needs --convex-url and --convex-admin-key together', async () => {
    const error = await resolveOptions({
      flags: { directory: 'a', workosApiKey: key, workosClientId: clientId, convexUrl: 'http://127.0.0.1:3210' },
      env: {},
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--convex-admin-key');
  });

  it('reads self-hosted Convex from its env vars', async () => {
    const options = await resolveOptions({
      flags: { directory: 'a', workosApiKey: key, workosClientId: clientId },
      env: { CONVEX_SELF_HOSTED_URL: 'http://127.0.0.1:3210', CONVEX_SELF_HOSTED_ADMIN_KEY: 'admin|secret' },
    });
    expect(options.convexUrl).toBe('http://127.0.0.1:3210');
    expect(options.convexAdminKey).toBe('admin|secret');
  });

  it('takes --workos-auth-domain as a bare host name, lower-cased, and refuses a URL, a port or WorkOS\'s own', async () => {
    const base = { directory: 'a', workosApiKey: key, workosClientId: clientId };
    const options = await resolveOptions({ flags: { ...base, workosAuthDomain: ' Auth.Example.com ' }, env: {} });
    expect(options.workosAuthDomain).toBe('auth.example.com');
    expect(manifestOptions(options).workosAuthDomain).toBe('auth.example.com');
    expect((await resolveOptions({ flags: base, env: {} })).workosAuthDomain).toBeUndefined();
    for (const bad of ['https://auth.example.com', 'auth.example.com/', 'auth.example.com:443', 'localhost', 'auth example.com', 'api.workos.com']) {
      const error = await resolveOptions({ flags: { ...base, workosAuthDomain: bad }, env: {} }).catch((e) => e);
      expect(error, bad).toBeInstanceOf(UsageError);
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('--workos-auth-domain');
      expect(error.message).toContain('auth.example.com');
    }
  });

  it('keeps secrets and per-run switches out of the manifest', async () => {
    const options = await resolveOptions({
      flags: { directory: 'a', workosApiKey: key, workosClientId: clientId, dryRun: true },
      env: { CONVEX_SELF_HOSTED_URL: 'http://127.0.0.1:3210', CONVEX_SELF_HOSTED_ADMIN_KEY: 'admin|secret' },
    });
    const recorded = JSON.stringify(manifestOptions(options));
    expect(recorded).not.toContain(key);
    expect(recorded).not.toContain('admin|secret');
    expect(recorded).not.toContain('dryRun');
    expect(recorded).toContain(clientId);
  });
});

describe('interactivity and package manager', () => {
  it('never prompts with --yes, --json, CI or without a TTY', () => {
    expect(isInteractive({}, {}, true)).toBe(true);
    expect(isInteractive({ yes: true }, {}, true)).toBe(false);
    expect(isInteractive({ json: true }, {}, true)).toBe(false);
    expect(isInteractive({}, { CI: 'true' }, true)).toBe(false);
    expect(isInteractive({}, { CI: 'false' }, true)).toBe(true);
    expect(isInteractive({}, {}, false)).toBe(false);
  });

  it('detects the package manager from npm_config_user_agent', () => {
    expect(detectPackageManager({ npm_config_user_agent: 'pnpm/9.1.0 npm/? node/v22.11.0 linux x64' })).toBe('pnpm');
    expect(detectPackageManager({ npm_config_user_agent: 'yarn/4.1.0 npm/? node/v22.11.0' })).toBe('yarn');
    expect(detectPackageManager({ npm_config_user_agent: 'bun/1.1.0 npm/? node/v22.11.0' })).toBe('bun');
    expect(detectPackageManager({ npm_config_user_agent: 'npm/11.0.0 node/v22.11.0' })).toBe('npm');
    expect(detectPackageManager({})).toBe('npm');
  });
});

describe('resolveOptions: Convex-managed WorkOS', () => {
  const scripted = (choice: 'managed' | 'keys' | 'none', asked: string[]) => ({
    ask: async (name: string) => {
      asked.push(name);
      return { directory: 'app', workosApiKey: key, workosClientId: clientId }[name];
    },
    select: async <T extends string>(prompt: { message: string; options: Array<{ value: T; label: string }> }) => {
      asked.push(prompt.options.map((o) => o.label).join(' | '));
      return choice as unknown as T;
    },
  });

  it('an interactive run without keys is asked which way first; "through Convex" asks for no key', async () => {
    const asked: string[] = [];
    const options = await resolveOptions({ flags: { directory: 'app' }, env: {}, asker: scripted('managed', asked) });
    expect(asked).toEqual(['Create a WorkOS environment for me (through Convex) | I have WorkOS keys | Try it without an account']);
    expect(options.workosManaged).toBe(true);
    expect(options.workosApiKey).toBeUndefined();
    expect(manifestOptions(options)).toMatchObject({ workosManaged: true });
  });

  it('"I have WorkOS keys" asks for them as before', async () => {
    const asked: string[] = [];
    const options = await resolveOptions({ flags: { directory: 'app' }, env: {}, asker: scripted('keys', asked) });
    expect(asked.slice(1)).toEqual(['workosApiKey', 'workosClientId']);
    expect(options.workosManaged).toBe(false);
    expect(options.workosApiKey).toBe(key);
  });

  it('"Try it without an account" asks for no key and records the project as one without an account', async () => {
    const asked: string[] = [];
    const options = await resolveOptions({ flags: { directory: 'app' }, env: {}, asker: scripted('none', asked) });
    expect(asked).toHaveLength(1);
    expect(options.account).toBe(false);
    expect(options.workosApiKey).toBeUndefined();
    expect(manifestOptions(options)).toMatchObject({ account: false });
  });

  it('--no-account is refused with keys given (it makes its own environment)', async () => {
    const error = await resolveOptions({ flags: { directory: 'app', account: false }, env: { WORKOS_API_KEY: key, WORKOS_CLIENT_ID: clientId } }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--no-account makes a local Convex deployment and a new unclaimed WorkOS environment');
    expect(error.message).toContain('WORKOS_API_KEY (in the environment) and WORKOS_CLIENT_ID (in the environment) were given');
  });

  it('a project made without an account resumes as one, with its keys from .env.local', async () => {
    const options = await resolveOptions({ flags: { directory: 'app' }, fallback: { account: false, workosApiKey: key, workosClientId: clientId }, env: {} });
    expect(options.account).toBe(false);
    expect(options.workosApiKey).toBe(key);
  });

  it('keys already given: no question', async () => {
    const asked: string[] = [];
    await resolveOptions({ flags: { directory: 'app' }, env: { WORKOS_API_KEY: key, WORKOS_CLIENT_ID: clientId }, asker: scripted('managed', asked) });
    expect(asked).toEqual([]);
  });

  it('refuses a self-hosted deployment with --workos-managed', async () => {
    const error = await resolveOptions({
      flags: { directory: 'a', workosManaged: true, convexUrl: 'http://127.0.0.1:3210', convexAdminKey: 'admin|x' },
      env: {},
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--workos-managed needs a Convex cloud deployment');
  });

  it('a managed project from the manifest still needs keys where managed cannot serve (--add-production)', async () => {
    const error = await resolveOptions({ flags: { directory: 'a' }, fallback: { workosManaged: true }, env: {}, offerManaged: false }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--workos-api-key');
    expect(error.message).not.toContain('--workos-managed');
  });

  it('a project made with --workos-managed resumes as one without the flag; a project with keys of its own is not taken over', async () => {
    const resumed = await resolveOptions({ flags: { directory: 'a' }, fallback: { workosManaged: true }, env: {} });
    expect(resumed.workosManaged).toBe(true);
    const error = await resolveOptions({ flags: { directory: 'a', workosManaged: true }, fallback: { workosApiKey: key, workosClientId: clientId }, env: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('already uses WorkOS keys of its own');
  });

  it('takes --workos-team-email as an email address only', async () => {
    const error = await resolveOptions({ flags: { directory: 'a', workosManaged: true, workosTeamEmail: 'not-an-email' }, env: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--workos-team-email takes an email address');
  });
});
