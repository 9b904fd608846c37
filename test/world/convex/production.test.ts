/**
 * The Convex stand-in's production deployments, driven by the REAL convex CLI (1.49): `deployment
 * create --type prod --default`, the default prod lookup, `env` against prod, `deployment token
 * create`, and deploy keys that administer their own deployment only.
 */
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/cli.js';
import { startConvexStandIn, type ConvexStandIn } from './index.js';

const convexBin = path.join(repoRoot, 'node_modules', 'convex', 'bin', 'main.js');
let standIn: ConvexStandIn;
let dir: string;
let home: string;
let dev: { deploymentName: string; slug: string };

const cli = (args: string[], env: Record<string, string> = {}, input?: string) =>
  execa(process.execPath, [convexBin, ...args], {
    cwd: dir,
    env: { HOME: home, CI: '1', ...standIn.cliEnv(), ...env },
    reject: false,
    all: true,
    timeout: 60_000,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
const api = (p: string, init: RequestInit = {}) =>
  fetch(`${standIn.provisionHost}${p}`, { ...init, headers: { Authorization: `Bearer ${standIn.token}`, 'content-type': 'application/json' } });
const prods = () => standIn.state.deployments.filter((d) => d.deploymentType === 'prod');

beforeAll(async () => {
  standIn = await startConvexStandIn();
  home = mkdtempSync(path.join(os.tmpdir(), 'cvx-prod-home-'));
  dir = mkdtempSync(path.join(os.tmpdir(), 'cvx-prod-proj-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'prod-app', dependencies: { convex: '1.49.0', next: '16.0.0' } }));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  dev = (await (await api('/v1/teams/acme/create_project', { method: 'POST', body: JSON.stringify({ projectName: 'prod-app', deploymentType: 'dev' }) })).json()) as typeof dev;
  writeFileSync(path.join(dir, '.env.local'), `CONVEX_DEPLOYMENT=dev:${dev.deploymentName} # team: acme, project: ${dev.slug}\n`);
});
afterAll(async () => {
  await standIn.close();
});

describe('production deployments', () => {
  it('has no default prod until `deployment create --type prod --default` makes one', async () => {
    expect((await api(`/v1/teams/acme/projects/${dev.slug}/deployment?defaultProd=true`)).status).toBe(404);
    const run = await cli(['deployment', 'create', '--type', 'prod', '--default']);
    expect(run.exitCode, run.all).toBe(0);
    expect(prods()).toHaveLength(1);
    const found = (await (await api(`/v1/teams/acme/projects/${dev.slug}/deployment?defaultProd=true`)).json()) as Record<string, unknown>;
    expect(found).toMatchObject({ name: prods()[0]!.name, deploymentType: 'prod', isDefault: true, deploymentUrl: prods()[0]!.url });
    // A second default prod is refused, not made.
    expect((await cli(['deployment', 'create', '--type', 'prod', '--default'])).exitCode).not.toBe(0);
    expect(prods()).toHaveLength(1);
  });

  it('keeps prod variables apart from dev ones (`env set --deployment prod`)', async () => {
    const set = await cli(['env', 'set', '--force', '--deployment', 'prod'], {}, 'ONLY_PROD=yes\n');
    expect(set.exitCode, set.all).toBe(0);
    expect(prods()[0]!.env).toEqual({ ONLY_PROD: 'yes' });
    expect(standIn.state.deployments.find((d) => d.name === dev.deploymentName)!.env).toEqual({});
    const list = await cli(['env', 'list', '--include-values', '--deployment', 'prod']);
    expect(dotenv.parse(list.stdout)).toEqual({ ONLY_PROD: 'yes' });
  });

  it('makes deploy keys that administer their own deployment and no other', async () => {
    const keyFile = path.join(dir, 'key.env');
    const made = await cli(['deployment', 'token', 'create', 'hosting', '--deployment', 'prod', '--save-env', keyFile]);
    expect(made.exitCode, made.all).toBe(0);
    const key = dotenv.parse(readFileSync(keyFile, 'utf8')).CONVEX_DEPLOY_KEY!;
    expect(key).toMatch(new RegExp(`^prod:${prods()[0]!.name}\\|`));
    // The CLI resolves the key's deployment through the account API, then talks to it with the key.
    const list = await cli(['env', 'list', '--include-values'], { CONVEX_DEPLOY_KEY: key });
    expect(list.exitCode, list.all).toBe(0);
    expect(dotenv.parse(list.stdout)).toEqual({ ONLY_PROD: 'yes' });
    // The same key against the dev deployment: refused, as a key is scoped to its deployment.
    const devUrl = standIn.state.deployments.find((d) => d.name === dev.deploymentName)!.url;
    const refused = await fetch(`${devUrl}/api/update_environment_variables`, {
      method: 'POST',
      headers: { Authorization: `Convex ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ changes: [{ name: 'X', value: '1' }] }),
    });
    expect(refused.status).toBe(401);
    expect(standIn.state.deployments.find((d) => d.name === dev.deploymentName)!.env).toEqual({});
    // An unknown deploy key is refused by the account API.
    const bogus = await cli(['env', 'list'], { CONVEX_DEPLOY_KEY: `prod:${prods()[0]!.name}|00` });
    expect(bogus.exitCode).not.toBe(0);
  });
});
