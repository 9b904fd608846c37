/**
 * `bin/try [directory] [options]`: the whole flow in a minute, with no account. Starts the offline world
 * (the Convex and WorkOS stand-ins and a local shadcn registry, as the tests use), runs the real CLI
 * against it with the world's own keys, says where the app is and what the stand-ins were asked, and
 * stops the world. Only the npm registry is real: the app's dependencies are installed from it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliPath } from './helpers/cli.js';
import { startWorld } from './helpers/world.js';

const args = process.argv.slice(2);
// Without a directory, the app goes to a new temporary folder (never into this checkout).
const dirGiven = args[0] !== undefined && !args[0].startsWith('-');
const tmp = dirGiven ? undefined : mkdtempSync(path.join(os.tmpdir(), 'authkit-convex-try-'));
const dir = tmp ? path.join(tmp, 'my-app') : args[0]!;
const cliArgs = [dir, '--yes', ...(dirGiven ? args.slice(1) : args)];

const world = await startWorld();
const say = (line = '') => process.stdout.write(`${line}\n`);
say(`bin/try: offline stand-ins of Convex, WorkOS and the shadcn registry are running.`);
say(`bin/try: create-authkit-convex ${cliArgs.join(' ')}   (WorkOS keys of the stand-in, in the environment)`);
say();

// The CLI is this checkout's, run as a user runs it; the world's variables point it at the stand-ins.
const child = spawn(process.execPath, [cliPath, ...cliArgs], { stdio: 'inherit', env: { ...process.env, ...world.env() } });
// Ctrl-C (and a closed terminal) reach the CLI from the terminal itself: wait for it to stop cleanly,
// then report and stop the world. A SIGTERM is meant for this process only, so it is passed on.
for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
const exitCode: number = await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + os.constants.signals[signal] : 1))));

const app = path.resolve(dir);
const deployment = world.convex.state.deployments.find((d) => d.pushes.length > 0) ?? world.convex.state.deployments[0];
const endpoint = world.workos.state.webhookEndpoints[0];
const made = existsSync(path.join(app, 'authkit-convex.json'));
say();
if (exitCode !== 0) say(`bin/try: ✗ the CLI exited with ${exitCode}${made ? ` (the project so far is in ${app})` : ''}`);
else if (made) say(`bin/try: ✔ the app is in ${app}`);
else say('bin/try: nothing was created.');
if (!made && tmp) rmSync(tmp, { recursive: true, force: true });
const asked = [
  world.workos.state.redirectUris.length && `WorkOS: redirect URIs ${world.workos.state.redirectUris.join(', ')}`,
  endpoint && `WorkOS: webhook endpoint ${endpoint.endpoint_url} (${endpoint.events.length} events)`,
  ...world.convex.state.projects.map((p) => `Convex: project "${p.name}" in team ${p.teamSlug}`),
  deployment && Object.keys(deployment.env).length && `Convex: deployment ${deployment.name} has ${Object.keys(deployment.env).sort().join(', ')}`,
  deployment?.pushes.length && `Convex: ${deployment.pushes.length} push(es), ${deployment.pushes.at(-1)!.modules.length} modules`,
  world.registry.requests.length && `shadcn registry: ${world.registry.requests.length} requests`,
].filter(Boolean);
if (asked.length) say(['What the stand-ins did:', ...asked.map((a) => `  ✔ ${a}`)].join('\n'));
if (made && exitCode === 0) {
  say('The stand-ins stop now, so this app cannot sign anyone in. For one that can, with your own WorkOS keys and Convex login:');
  say('  WORKOS_API_KEY=sk_test_… bin/dev ../my-app --workos-client-id client_…   (or npx create-authkit-convex once published)');
}
await world.close();
process.exit(exitCode);
