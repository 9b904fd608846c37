/**
 * The real `convex` CLI (1.49) against the stand-in's preview deployments and project defaults:
 * `env default set/list --type preview`, `deploy` with a preview deploy key (the key alone, no login),
 * `--preview-name` on `env`, and a deleted preview.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConvexStandIn, type ConvexStandIn } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const convexBin = path.join(repoRoot, 'node_modules', 'convex', 'bin', 'main.js');
const scratch: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

function run(cwd: string, args: string[], env: Record<string, string>, input = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [convexBin, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

let standIn: ConvexStandIn;
let home: string;
let project: string;
let projectId: number;
let devName: string;

beforeAll(async () => {
  standIn = await startConvexStandIn();
  home = tempDir('cvx-previews-home-');
  project = tempDir('cvx-previews-proj-');
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'demo', private: true, dependencies: { convex: '1.49.0', next: '16.0.0' } }));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  mkdirSync(path.join(project, 'convex'));
  // auth.config reads WORKOS_CLIENT_ID: a preview deployment without the defaults fails its push.
  writeFileSync(
    path.join(project, 'convex', 'auth.config.ts'),
    "export default { providers: [{ type: 'customJwt', issuer: 'https://api.workos.com/', algorithm: 'RS256', jwks: 'https://api.workos.com/sso/jwks/' + process.env.WORKOS_CLIENT_ID }] };\n",
  );
  // The project and its dev deployment, as `convex dev --configure new` makes them.
  const res = await fetch(`${standIn.provisionHost}/v1/teams/acme/create_project`, {
    method: 'POST',
    headers: { authorization: `Bearer ${standIn.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ projectName: 'demo', deploymentType: 'dev' }),
  });
  const created = (await res.json()) as { projectId: number; deploymentName: string };
  projectId = created.projectId;
  devName = created.deploymentName;
  writeFileSync(path.join(project, '.env.local'), `CONVEX_DEPLOYMENT=dev:${devName} # team: acme, project: demo\n`);
});

afterAll(async () => {
  await standIn?.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const loggedIn = () => ({ PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...standIn.cliEnv() });
/** What a hosting provider's build has: the provision host (stand-in only) and the preview deploy key. */
const previewBuild = (key: string) => ({ PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', CONVEX_PROVISION_HOST: standIn.provisionHost, CONVEX_DEPLOY_KEY: key });

describe('preview deployments', () => {
  it('env default set --type preview (stdin) sets the project defaults for previews only', async () => {
    const set = await run(project, ['env', 'default', 'set', '--type', 'preview', '--force'], loggedIn(), 'WORKOS_CLIENT_ID=client_preview\nWORKOS_API_KEY=sk_test_preview\n');
    expect(set.code, set.stderr).toBe(0);
    expect(standIn.defaultEnv(projectId, 'preview')).toEqual({ WORKOS_CLIENT_ID: 'client_preview', WORKOS_API_KEY: 'sk_test_preview' });
    expect(standIn.defaultEnv(projectId, 'dev')).toEqual({});
    const dev = standIn.state.deployments.find((d) => d.name === devName)!;
    expect(dev.env).toEqual({});

    const list = await run(project, ['env', 'default', 'list', '--type', 'preview', '--include-values'], loggedIn());
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('WORKOS_CLIENT_ID=client_preview');
    const update = standIn.requests.find((r) => r.path === `/v1/projects/${projectId}/update_default_environment_variables`);
    expect(update?.body).toEqual({
      changes: [
        { name: 'WORKOS_CLIENT_ID', deploymentType: 'preview', value: 'client_preview' },
        { name: 'WORKOS_API_KEY', deploymentType: 'preview', value: 'sk_test_preview' },
      ],
    });
  });

  it('deploy with a preview deploy key and --preview-create makes a preview with the defaults, runs --cmd, pushes', async () => {
    const key = standIn.previewDeployKey('acme', 'demo');
    const cmd = `node -e "require('fs').writeFileSync('cmd-env.json', JSON.stringify({site: process.env.NEXT_PUBLIC_CONVEX_SITE_URL, url: process.env.NEXT_PUBLIC_CONVEX_URL}))"`;
    const r = await run(project, ['deploy', '--preview-create', 'feature-a', '--cmd', cmd, '--typecheck', 'disable', '--codegen', 'disable'], previewBuild(key));
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const preview = standIn.previews(projectId).get('feature-a')!;
    expect(preview).toBeDefined();
    expect(preview.env).toEqual({ WORKOS_CLIENT_ID: 'client_preview', WORKOS_API_KEY: 'sk_test_preview' });
    expect(preview.pushes).toHaveLength(1);
    const seen = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(path.join(project, 'cmd-env.json'), 'utf8'))) as { site: string; url: string };
    expect(seen).toEqual({ site: preview.siteUrl, url: preview.url });
    expect(standIn.requests.find((q) => q.path === '/api/claim_preview_deployment')?.body).toMatchObject({ identifier: 'feature-a', reuse: false });

    // Another key of another project may not touch it.
    const set = await run(project, ['env', 'set', 'X', '--preview-name', 'feature-a'], previewBuild('preview:acme:other|abc'), 'y');
    expect(set.code).not.toBe(0);
  });

  it('env set/get --preview-name with the preview key reach that preview; a deleted preview answers 404', async () => {
    const key = standIn.previewDeployKey('acme', 'demo');
    const set = await run(project, ['env', 'set', 'WORKOS_WEBHOOK_SECRET', '--preview-name', 'feature-a'], previewBuild(key), 'whsec_from_stdin');
    expect(set.code, set.stderr).toBe(0);
    const preview = standIn.previews(projectId).get('feature-a')!;
    expect(preview.env.WORKOS_WEBHOOK_SECRET).toBe('whsec_from_stdin');
    const get = await run(project, ['env', 'get', 'WORKOS_CLIENT_ID', '--preview-name', 'feature-a'], previewBuild(key));
    expect(get.stdout.trim()).toBe('client_preview');

    await standIn.deleteDeployment(preview.name);
    expect(standIn.previews(projectId).has('feature-a')).toBe(false);
    await expect(fetch(preview.siteUrl)).rejects.toThrow();
    const gone = await run(project, ['env', 'get', 'WORKOS_CLIENT_ID', '--preview-name', 'feature-a'], previewBuild(key));
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/404/);
  });
});
