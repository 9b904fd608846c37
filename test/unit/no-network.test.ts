/** The guard the "builds offline" check runs `next build` under: outside hosts refused, this machine reachable. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { noNetwork } from '../helpers/app-checks.js';

it('refuses connections to outside hosts and lets loopback through, in every Node process', async () => {
  const server = http.createServer((_req, res) => res.end('local')).listen(0);
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const script = `
    const out = [];
    for (const url of ['http://203.0.113.7/', 'https://outside.invalid/', 'http://127.0.0.1:${port}/']) {
      out.push(await fetch(url).then((r) => r.text(), (e) => 'refused ' + (e.cause?.code ?? e.message)));
    }
    console.log(JSON.stringify(out));`;
  // A grandchild too: the guard travels in NODE_OPTIONS, as it does to next build's workers.
  const r = await execa(process.execPath, ['-e', `require('child_process').execFileSync(process.execPath, ['--input-type=module', '-e', ${JSON.stringify(script)}], { stdio: 'inherit' })`], {
    env: { NODE_OPTIONS: noNetwork },
    reject: false,
  });
  server.close();
  expect(r.exitCode, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual(['refused ECONNREFUSED', 'refused ECONNREFUSED', 'local']);
});
