/**
 * The local backend stand-in as the convex CLI uses it: the `--help` check, `keygen admin-key`, and a
 * server on the ports it is given that answers `/instance_name` and the deployment API with the key
 * keygen printed, keeping its variables across a restart (in the file the CLI names as its database).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { installLocalBackend } from './install.js';

const run = promisify(execFile);
const home = mkdtempSync(path.join(os.tmpdir(), 'cak-lb-home-'));
const binary = installLocalBackend(home, 'precompiled-2026-01-01-test');
const started: Array<ReturnType<typeof spawn>> = [];

afterEach(() => {
  for (const p of started.splice(0)) p.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function start(args: string[]) {
  const p = spawn(binary, args, { stdio: 'ignore' });
  started.push(p);
  const port = args[args.indexOf('--port') + 1];
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/instance_name`).then((r) => r.text()).catch(() => undefined);
    if (up) return { process: p, name: up };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the stand-in did not start');
}

describe('convex-local-backend stand-in', () => {
  it('is where the convex CLI looks for it, and passes its --help check', async () => {
    expect(binary).toBe(path.join(home, '.cache', 'convex', 'binaries', 'precompiled-2026-01-01-test', 'convex-local-backend'));
    const help = await run(binary, ['--port', '1', '--instance-name', 'x', '--instance-secret', 'y', 'db', '--help']);
    expect(help.stdout).toContain('convex-local-backend');
  });

  it('refuses a flag it does not know (so a new flag of the CLI shows in the tests)', async () => {
    await expect(run(binary, ['--no-such-flag'])).rejects.toMatchObject({ code: 1 });
  });

  it('serves the deployment API with the admin key keygen made, and keeps its variables across a restart', async () => {
    const keygen = await run(binary, ['keygen', 'admin-key', '--instance-name', 'anonymous-test', '--instance-secret', 'ab'.repeat(32)]);
    const adminKey = keygen.stdout.trim();
    expect(adminKey).toMatch(/^anonymous-test\|[0-9a-f]{64}$/);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'cak-lb-state-'));
    const db = path.join(dir, 'convex_local_backend.sqlite3');
    const [port, sitePort] = [await freePort(), await freePort()];
    const args = ['--port', String(port), '--site-proxy-port', String(sitePort), '--sentry-identifier', 'x', '--instance-name', 'anonymous-test', '--instance-secret', 'ab'.repeat(32), '--local-storage', path.join(dir, 'storage'), '--beacon-tag', 'anonymous-agent', db];
    const first = await start(args);
    expect(first.name).toBe('anonymous-test');

    const url = `http://127.0.0.1:${port}`;
    const set = (key: string) =>
      fetch(`${url}/api/update_environment_variables`, {
        method: 'POST',
        headers: { Authorization: `Convex ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ changes: [{ name: 'WORKOS_CLIENT_ID', value: 'client_01LOCAL' }] }),
      });
    expect((await set('wrong|key')).status).toBe(401);
    expect((await set(adminKey)).status).toBe(200);
    const urls = await (await fetch(`${url}/api/v1/get_canonical_urls`)).json();
    expect(urls).toEqual({ convexCloudUrl: url, convexSiteUrl: `http://127.0.0.1:${sitePort}` });

    // SIGTERM stops it (as the CLI's cleanup does), and the port is free again.
    const exited = new Promise((r) => first.process.once('exit', r));
    first.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/instance_name`)).rejects.toThrow();

    await start(args);
    const state = JSON.parse(readFileSync(db, 'utf8'));
    expect(state.env).toEqual({ WORKOS_CLIENT_ID: 'client_01LOCAL' });
    expect(state.requests.map((r: { path: string }) => r.path)).toContain('/api/update_environment_variables');
  });
});
