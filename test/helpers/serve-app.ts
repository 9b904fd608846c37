/**
 * Serves a generated app with its own Next.js (`next dev` or `next start`, after a build) on a free
 * port, keeping everything the server prints, so a test can visit pages and read the server's log.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServedApp {
  base: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `env` is the server's whole environment besides PATH and HOME: vitest's own NODE_ENV=test would make
 * Next.js skip `.env.local`, so it is left out and Next.js picks its own.
 */
export async function serveApp(app: string, mode: 'dev' | 'start', env: Record<string, string>): Promise<ServedApp> {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  let out = '';
  const child = spawn(process.execPath, [path.join(app, 'node_modules/next/dist/bin/next'), mode, '-p', String(port)], {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it stops its workers too.
    detached: true,
  });
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const until = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next ${mode} exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${base}/`, { redirect: 'manual' });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`next ${mode} did not answer on ${base} within 2 minutes:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, output: () => out, stop };
}

/**
 * Lines of a Next.js server log that report an error or a warning: Next.js's own (⚠, ⨯, "Error:"),
 * and console.warn/console.error of the app or its libraries. Request lines (`GET /sign-in?error=… 200`)
 * are not, nor Turbopack's notice that this machine's disk is slow (about the machine, not the app).
 */
export function problemLines(log: string): string[] {
  return log
    .split('\n')
    .filter((l) => !/^\s*(GET|POST|HEAD|PUT|DELETE)\s+\S+\s+\d{3}\s/.test(l))
    .filter((l) => !l.includes('Slow filesystem detected'))
    .filter((l) => /[⚠⨯✖]|\b(error|warn|warning|deprecated)\b/i.test(l));
}
