/**
 * A stand-in for the npm registry, for the steps whose outside service it is (create-next-app through
 * npx, and the install). It passes every request through to the registry npm is configured with, so
 * npm, npx and create-next-app behave as usual, and it can be told to fail requests like a broken
 * registry would: an error status, a dropped connection, or no answer at all. npm is pointed at it
 * with its own variable, `npm_config_registry`.
 */
import http from 'node:http';
import { execa } from 'execa';
import { applyFault, FaultList, type Fault, type FaultAnswer, type FaultMatch } from '../faults.js';
import { sendJson } from '../http.js';
import { closeServer, listen } from '../server.js';

export interface NpmRegistryRequest {
  at: number;
  method: string;
  path: string;
}

export interface NpmRegistry {
  /** The value for `npm_config_registry`. */
  url: string;
  /** Every request received, in order. */
  requests: NpmRegistryRequest[];
  /** Environment that points npm and npx at this registry. */
  env(): Record<string, string>;
  /** Answer the next `fault.times` matching requests with the fault instead of passing them on. */
  fail(match: FaultMatch, fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** The registry's own error shape: a JSON object with an `error` string. */
const registryError: FaultAnswer = {
  send: sendJson,
  body: (status) => ({ error: `fault injected by the test world (${status})` }),
  status: 500,
};

/** The registry npm uses on this machine (never written down: asked of npm itself). */
async function configuredRegistry(): Promise<string> {
  const { stdout } = await execa('npm', ['config', 'get', 'registry']);
  return stdout.trim().replace(/\/?$/, '/');
}

export async function startNpmRegistry(opts: { upstream?: string } = {}): Promise<NpmRegistry> {
  const upstream = opts.upstream ?? (await configuredRegistry());
  const requests: NpmRegistryRequest[] = [];
  const faults = new FaultList();

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://registry').pathname;
    requests.push({ at: Date.now(), method: req.method ?? 'GET', path });
    void applyFault(faults, req, res, path, registryError).then((answered) => {
      if (answered) return;
      passThrough(req, res, new URL(req.url!.replace(/^\//, ''), upstream)).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `upstream: ${error.message}` }));
      });
    });
  });
  const url = `${await listen(server)}/`;

  return {
    url,
    requests,
    env: () => ({ npm_config_registry: url }),
    fail: (match, fault) => faults.add(match, fault),
    clearFaults: () => faults.clear(),
    close: () => closeServer(server),
  };
}

/** GET/HEAD through to the real registry; the body arrives decoded, so no content-encoding goes back. */
async function passThrough(req: http.IncomingMessage, res: http.ServerResponse, target: URL): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of ['accept', 'user-agent', 'npm-command', 'if-none-match', 'if-modified-since']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const upstream = await fetch(target, { method: req.method, headers, redirect: 'follow' });
  const body = Buffer.from(await upstream.arrayBuffer());
  const out: Record<string, string> = { 'content-length': String(body.length) };
  for (const name of ['content-type', 'etag', 'last-modified', 'cache-control']) {
    const value = upstream.headers.get(name);
    if (value) out[name] = value;
  }
  res.writeHead(upstream.status, out);
  res.end(req.method === 'HEAD' ? undefined : body);
}
