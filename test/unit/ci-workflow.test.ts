/** The generated CI workflow, rendered for each package manager (the e2e suite runs npm's in a real app). */
import { describe, expect, it } from 'vitest';
import { features } from '../../src/features/index.js';
import { renderTemplates, templateData } from '../../src/files/render.js';
import type { PackageManager } from '../../src/options/schema.js';

async function workflow(pm: PackageManager): Promise<string> {
  const base = features.filter((f) => f.id === 'base');
  const data = templateData({ projectDir: '/tmp/my-app', pm, options: { redirectUri: 'http://localhost:3000/callback' } as never }, base);
  return (await renderTemplates(base, data)).get('.github/workflows/ci.yml')!;
}
const runs = (yml: string) => [...yml.matchAll(/^\s*- run: (.+)$/gm)].map((m) => m[1]);

describe('.github/workflows/ci.yml', () => {
  it.each([
    ['npm', 'npm ci', 'npx', 'npm run'],
    ['pnpm', 'pnpm install --frozen-lockfile', 'pnpm exec', 'pnpm'],
    ['bun', 'bun install --frozen-lockfile', 'bunx', 'bun run'],
  ] as const)('%s: installs from the lockfile, then types, lint, tests and build through the manager', async (pm, install, exec, run) => {
    const yml = await workflow(pm);
    expect(runs(yml)).toEqual([install, `${exec} next typegen`, `${exec} tsc --noEmit`, `${run} lint`, `${run} test`, `${exec} next build`]);
    expect(yml).not.toMatch(/secrets\./);
  });

  it('puts pnpm and bun on the runner (npm comes with Node)', async () => {
    expect(await workflow('pnpm')).toContain('uses: pnpm/action-setup@v4');
    expect(await workflow('bun')).toContain('uses: oven-sh/setup-bun@v2');
    expect(await workflow('npm')).not.toMatch(/action-setup|setup-bun|corepack/);
  });
});
