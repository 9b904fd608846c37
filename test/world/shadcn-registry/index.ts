/**
 * Offline stand-in for the shadcn registry, good enough for the real `shadcn` CLI (4.23) pointed at it
 * with `REGISTRY_URL=<url>` (the value ends in `/r`, like the public default; the CLI takes the part
 * before `/r` as its site root and asks that for `/init?...`).
 *
 * What the CLI asks for (all GET, JSON answers):
 *  - `/init?base=…&style=…&…` — a `registry:base` item: the components.json settings (`config`),
 *    theme variables and base CSS. Its `config.style` is `<base>-<style>` from the query
 *    (`init --defaults` asks for base=base, style=nova → `base-nova`; add `-b radix` for `radix-nova`).
 *  - `/r/styles/<style>/<name>.json` — `index` (the style: shared dependencies, pulls in `utils`),
 *    `utils` (src/lib/utils.ts) and the components button, input, label, card, separator. The same
 *    files are served for every style name (the CLI also asks for `new-york` before components.json
 *    is written).
 *  - `/r/colors/<baseColor>.json` — the base colour (only `neutral`).
 * Anything else is a 404 with a JSON `{ error }` body.
 *
 * The components are our own small ones (Tailwind classes, Radix primitives through `radix-ui`) with
 * the export names and props of shadcn's, and every dependency is one the scaffolded app already has,
 * so the CLI installs nothing.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyFault, FaultList, type FaultAnswer } from '../faults.js';
import { sendJson as send } from '../http.js';
import { closeServer, listen } from '../server.js';

const DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

export interface ShadcnRegistryRequest {
  /** Date.now() when the request arrived. */
  at: number;
  /** The URL's path, without the query (e.g. `/init`, `/r/styles/base-nova/button.json`). */
  path: string;
  /** The query parameters, when there are any (the CLI sends its choices to `/init` this way). */
  query?: Record<string, string>;
}

export interface ShadcnRegistryFault {
  /** Answer with this status (and a JSON error body) instead of the file. Default 500. */
  status?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Never answer. */
  hang?: boolean;
  /** How many requests it has answered so far. */
  taken?: number;
  /** How many matching requests the fault answers. Default 1; Infinity for all. */
  times?: number;
}

export interface ShadcnRegistry {
  /** The value for `REGISTRY_URL`: `http://127.0.0.1:<port>/r`. */
  url: string;
  /** Every request received, in order. */
  requests: ShadcnRegistryRequest[];
  /**
   * Make the next `times` requests whose path (without the query) matches fail; a string must equal
   * the path. One failed item request is enough for the CLI to stop with exit code 1.
   */
  fail(match: { path: string | RegExp }, fault: ShadcnRegistryFault): void;
  /** Removes every fault still pending. */
  clearFaults(): void;
  close(): Promise<void>;
}


const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Which data file answers a path, or undefined for a 404. */
function fileFor(pathname: string): string | undefined {
  if (pathname === '/init' || pathname === '/init.json') return 'init.json';
  const style = /^\/r\/styles\/([^/]+)\/([^/]+)\.json$/.exec(pathname);
  if (style && NAME.test(style[1]!) && NAME.test(style[2]!)) return `styles/${style[2]}.json`;
  const color = /^\/r\/colors\/([^/]+)\.json$/.exec(pathname);
  if (color && NAME.test(color[1]!)) return `colors/${color[1]}.json`;
  return undefined;
}

async function readItem(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path.join(DATA_DIR, file), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The registry's error shape: a JSON object with an `error` string (a fault's status, default 500). */
const registryError: FaultAnswer = {
  send,
  body: (status) => ({ error: `fault injected by the test world (${status})` }),
  status: 500,
};

export async function startShadcnRegistry(): Promise<ShadcnRegistry> {
  const requests: ShadcnRegistryRequest[] = [];
  const faults = new FaultList();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: ShadcnRegistryRequest = { at: Date.now(), path: url.pathname };
    if (url.searchParams.size > 0) record.query = Object.fromEntries(url.searchParams);
    requests.push(record);

    // Faults here match the path only, whatever the query.
    void applyFault(faults, req, res, url.pathname, registryError).then((answered) => {
      if (!answered) serve(req, res, url);
    });
  });
  const origin = await listen(server);

  return {
    url: `${origin}/r`,
    requests,
    fail: (match, fault) => faults.add({ path: match.path }, fault),
    clearFaults: () => faults.clear(),
    close: () => closeServer(server),
  };
}

/** Answers a request no fault took: the data file for the path, or a JSON 404. */
function serve(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, { error: 'method not allowed' });
    return;
  }
  const file = fileFor(url.pathname);
  if (!file) {
    send(res, 404, { error: `not found: ${url.pathname}` });
    return;
  }
  readItem(file).then(
    (item) => {
      if (!item) {
        send(res, 404, { error: `not found: ${url.pathname}` });
        return;
      }
      if (file === 'init.json') {
        // components.json's style is `<base>-<style>` from the query (the CLI's help calls the default
        // `base-nova`; its getBase() reads the component library back from that prefix).
        const base = url.searchParams.get('base') ?? 'radix';
        const style = url.searchParams.get('style') ?? 'nova';
        const config = (item.config ?? {}) as Record<string, unknown>;
        if (NAME.test(base) && NAME.test(style)) item = { ...item, config: { ...config, style: `${base}-${style}` } };
      }
      send(res, 200, item);
    },
    (err: unknown) => send(res, 500, { error: String(err) }),
  );
}
