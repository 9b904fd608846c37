/** JSON answers and request bodies, shared by the stand-ins (so every stand-in reads and answers alike). */
import type http from 'node:http';
import zlib from 'node:zlib';

/** Answers JSON with its length; `headers` may override the content type. A 204 has no body. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** The whole request body, as sent. */
export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The body as the service would see it: decompressed (the convex CLI sends brotli), then a form as an
 * object, JSON parsed, or else the text; undefined when empty; base64 when it cannot be decompressed.
 */
export function parseBody(req: http.IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  let buf = raw;
  const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
  try {
    if (enc === 'br') buf = zlib.brotliDecompressSync(raw);
    else if (enc === 'gzip') buf = zlib.gunzipSync(raw);
    else if (enc === 'deflate') buf = zlib.inflateSync(raw);
  } catch {
    return raw.toString('base64');
  }
  const text = buf.toString('utf8');
  if (String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
