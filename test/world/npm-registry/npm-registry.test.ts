/** The npm registry stand-in, driven by the real npm: it passes requests through, and fails on demand. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNpmRegistry, type NpmRegistry } from './index.js';

let registry: NpmRegistry;
beforeAll(async () => {
  registry = await startNpmRegistry();
});
afterAll(() => registry.close());

// A cache of its own: npm's cache is keyed by the registry URL, so every request reaches the stand-in.
const npm = (args: string[], extra: Record<string, string> = {}) =>
  execa('npm', args, {
    reject: false,
    all: true,
    env: { ...registry.env(), npm_config_cache: mkdtempSync(path.join(os.tmpdir(), 'cak-npmcache-')), npm_config_fetch_retries: '0', ...extra },
  });

describe('the npm registry stand-in', () => {
  it('passes requests through to the configured registry and records them', async () => {
    const run = await npm(['view', 'is-number@7.0.0', 'version']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout.trim()).toBe('7.0.0');
    expect(registry.requests.map((r) => r.path)).toContain('/is-number');
  });

  it('answers an error status the way npm reports a broken registry', async () => {
    const fault = { status: 503, times: 1 };
    registry.fail({ path: '/is-number' }, fault);
    const run = await npm(['view', 'is-number@7.0.0', 'version']);
    expect(run.exitCode).not.toBe(0);
    expect(run.all).toContain('E503');
    expect(fault).toMatchObject({ taken: 1 });
  });

  it('drops the connection, or never answers (npm gives up after its fetch-timeout)', async () => {
    registry.fail({ path: '/is-number' }, { drop: true });
    const dropped = await npm(['view', 'is-number@7.0.0', 'version']);
    expect(dropped.all).toContain('ECONNRESET');
    registry.fail({ path: '/is-number' }, { hang: true });
    const hung = await npm(['view', 'is-number@7.0.0', 'version'], { npm_config_fetch_timeout: '1000' });
    expect(hung.exitCode).not.toBe(0);
    expect(hung.all).toMatch(/network timeout|ETIMEDOUT|FETCH_ERROR/);
  });
});
