/**
 * The real shadcn CLI (4.23.0, through npx) against the local registry, in a small hand-made copy of
 * what `create-next-app@16.4.3 --ts --tailwind --eslint --app --src-dir` writes, with the app's extra
 * dependencies listed in package.json. No node_modules: shadcn reads package.json, tsconfig and the
 * CSS only, and installs nothing when every dependency an item names is already listed.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShadcnRegistry, type ShadcnRegistry } from './index.js';

const SHADCN = 'shadcn@4.23.0';
const UI = ['button', 'input', 'label', 'card', 'separator'] as const;

let registry: ShadcnRegistry;
let app: string;

/** `npx --yes shadcn@4.23.0 …` in `cwd` with REGISTRY_URL set; never throws. */
function shadcn(args: string[], cwd = app) {
  return execa('npx', ['--yes', SHADCN, ...args], {
    cwd,
    env: {
      REGISTRY_URL: registry.url,
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
      // The npx that runs shadcn should find the Node running these tests first.
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    },
    stdin: 'ignore',
    all: true,
    reject: false,
    timeout: 120_000,
  });
}

/** The names in a file's `export { … }` list. */
function exportList(source: string): string[] {
  const m = /export\s*\{([^}]*)\}/.exec(source);
  return m ? m[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

async function writeFixtureApp(dir: string) {
  await fs.outputJson(
    path.join(dir, 'package.json'),
    {
      name: 'fixture-app',
      version: '0.1.0',
      private: true,
      scripts: { dev: 'next dev', build: 'next build', start: 'next start', lint: 'eslint' },
      dependencies: {
        'class-variance-authority': '0.7.1',
        clsx: '2.1.1',
        'lucide-react': '1.79.0',
        next: '16.4.3',
        'radix-ui': '1.8.1',
        react: '19.3.0',
        'react-dom': '19.3.0',
        'tailwind-merge': '3.7.0',
        'tw-animate-css': '1.4.0',
      },
      devDependencies: {
        '@tailwindcss/turbopack': '^4',
        '@types/node': '^20',
        '@types/react': '^19',
        '@types/react-dom': '^19',
        eslint: '^9',
        'eslint-config-next': '16.4.3',
        tailwindcss: '^4',
        typescript: '^5',
      },
    },
    { spaces: 2 },
  );
  await fs.outputJson(
    path.join(dir, 'tsconfig.json'),
    {
      compilerOptions: {
        target: 'ES2017',
        lib: ['dom', 'dom.iterable', 'esnext'],
        allowJs: true,
        skipLibCheck: true,
        strict: true,
        noEmit: true,
        esModuleInterop: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        resolveJsonModule: true,
        isolatedModules: true,
        jsx: 'react-jsx',
        incremental: true,
        plugins: [{ name: 'next' }],
        paths: { '@/*': ['./src/*'] },
      },
      include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
      exclude: ['node_modules'],
    },
    { spaces: 2 },
  );
  await fs.outputFile(
    path.join(dir, 'next.config.ts'),
    `import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  cacheComponents: true,
  turbopack: {
    rules: {
      "*.css": { loaders: ["@tailwindcss/turbopack"], as: "*.css" },
    },
  },
};

export default nextConfig;
`,
  );
  await fs.outputFile(
    path.join(dir, 'src/app/globals.css'),
    `@import "tailwindcss";

:root {
  --background: #ffffff;
  --foreground: #171717;
}

@theme inline {
  --color-background: var(--background);
  --color-foreground: var(--foreground);
  --font-sans: var(--font-geist-sans);
  --font-mono: var(--font-geist-mono);
}

body {
  background: var(--background);
  color: var(--foreground);
}
`,
  );
  await fs.outputFile(
    path.join(dir, 'src/app/layout.tsx'),
    `import "./globals.css";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  );
  await fs.outputFile(
    path.join(dir, 'src/app/page.tsx'),
    `export default function Home() {
  return <main>hello</main>;
}
`,
  );
}

beforeAll(async () => {
  registry = await startShadcnRegistry();
  app = path.join(mkdtempSync(path.join(os.tmpdir(), 'cak-shadcn-')), 'fixture-app');
  await writeFixtureApp(app);
});
afterAll(async () => {
  await registry?.close();
  if (app) await fs.remove(path.dirname(app));
});

describe('shadcn CLI against the local registry', () => {
  it('init --yes --defaults writes components.json, lib/utils and the theme, and installs nothing', async () => {
    const pkgBefore = await fs.readFile(path.join(app, 'package.json'), 'utf8');
    const layoutBefore = await fs.readFile(path.join(app, 'src/app/layout.tsx'), 'utf8');
    const from = registry.requests.length;

    const run = await shadcn(['init', '--yes', '--defaults']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toContain('Project initialization completed');
    expect(run.all).not.toContain('Installing dependencies');

    const config = await fs.readJson(path.join(app, 'components.json'));
    expect(config).toMatchObject({
      style: 'base-nova',
      rsc: true,
      tsx: true,
      iconLibrary: 'lucide',
      tailwind: { css: 'src/app/globals.css', baseColor: 'neutral', cssVariables: true },
      aliases: { components: '@/components', ui: '@/components/ui', utils: '@/lib/utils', lib: '@/lib' },
    });

    const utils = await fs.readFile(path.join(app, 'src/lib/utils.ts'), 'utf8');
    expect(utils).toMatch(/export function cn\(/);
    // init also adds the Next template's button.
    expect(await fs.pathExists(path.join(app, 'src/components/ui/button.tsx'))).toBe(true);

    const css = await fs.readFile(path.join(app, 'src/app/globals.css'), 'utf8');
    expect(css).toContain('@import "tailwindcss"');
    expect(css).toContain('@import "tw-animate-css"');
    expect(css).toContain('--color-primary: var(--primary)');
    expect(css).toMatch(/\.dark\s*\{[^}]*--background:/);
    expect(css).toContain('@apply bg-background text-foreground');

    // Nothing to install, no fonts.
    expect(await fs.readFile(path.join(app, 'package.json'), 'utf8')).toBe(pkgBefore);
    expect(await fs.readFile(path.join(app, 'src/app/layout.tsx'), 'utf8')).toBe(layoutBefore);

    const seen = registry.requests.slice(from);
    expect(seen[0]).toMatchObject({
      path: '/init',
      query: { base: 'base', style: 'nova', baseColor: 'neutral', iconLibrary: 'lucide', template: 'next' },
    });
    const paths = seen.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/r/styles/base-nova/index.json',
        '/r/styles/base-nova/utils.json',
        '/r/styles/base-nova/button.json',
        '/r/colors/neutral.json',
      ]),
    );
    for (const p of paths) expect(p).toMatch(/^\/(init|r\/styles\/[a-z0-9-]+\/[a-z0-9-]+\.json|r\/colors\/neutral\.json)$/);
  });

  it('add button input label card separator --yes writes components with shadcn export names', async () => {
    const pkgBefore = await fs.readFile(path.join(app, 'package.json'), 'utf8');
    const from = registry.requests.length;

    const run = await shadcn(['add', ...UI, '--yes']);
    expect(run.exitCode, run.all).toBe(0);

    const expected: Record<(typeof UI)[number], string[]> = {
      button: ['Button', 'buttonVariants'],
      input: ['Input'],
      label: ['Label'],
      card: ['Card', 'CardHeader', 'CardTitle', 'CardDescription', 'CardAction', 'CardContent', 'CardFooter'],
      separator: ['Separator'],
    };
    for (const name of UI) {
      const source = await fs.readFile(path.join(app, `src/components/ui/${name}.tsx`), 'utf8');
      expect(exportList(source), name).toEqual(expect.arrayContaining(expected[name]));
      // Import aliases were rewritten for this project (and stay on @/lib/utils).
      expect(source, name).toContain('from "@/lib/utils"');
    }
    const button = await fs.readFile(path.join(app, 'src/components/ui/button.tsx'), 'utf8');
    expect(button).toMatch(/asChild/);
    expect(button).toMatch(/variant/);
    expect(button).toMatch(/size/);

    expect(await fs.readFile(path.join(app, 'package.json'), 'utf8')).toBe(pkgBefore);
    const paths = registry.requests.slice(from).map((r) => r.path);
    for (const name of UI) expect(paths).toContain(`/r/styles/base-nova/${name}.json`);
  });

  it('one faulty answer makes the CLI fail; the next run works', async () => {
    registry.fail({ path: /\/card\.json$/ }, { status: 503 });
    const failed = await shadcn(['add', 'card', '--yes', '--overwrite']);
    expect(failed.exitCode).toBe(1);
    expect(failed.all).toContain('Failed to fetch from registry (503)');

    registry.fail({ path: '/r/styles/base-nova/card.json' }, { drop: true });
    const dropped = await shadcn(['add', 'card', '--yes', '--overwrite']);
    expect(dropped.exitCode).toBe(1);

    const ok = await shadcn(['add', 'card', '--yes', '--overwrite']);
    expect(ok.exitCode, ok.all).toBe(0);
  });
});

describe('registry server', () => {
  it('answers the init URL with the query-selected style, items, colours, and 404s', async () => {
    const root = registry.url.replace(/\/r$/, '');
    const init = await (await fetch(`${root}/init?base=radix&style=nova&track=1`)).json();
    expect(init).toMatchObject({ name: 'init', type: 'registry:base', config: { style: 'radix-nova' } });
    const button = await (await fetch(`${registry.url}/styles/anything/button.json`)).json();
    expect(button).toMatchObject({ name: 'button', type: 'registry:ui', dependencies: ['radix-ui', 'class-variance-authority'] });
    expect((await fetch(`${registry.url}/colors/neutral.json`)).status).toBe(200);
    expect((await fetch(`${registry.url}/styles/base-nova/dialog.json`)).status).toBe(404);
    expect((await fetch(`${registry.url}/colors/..%2Fpackage.json`)).status).toBe(404);
    expect(registry.requests.at(-1)).toMatchObject({ path: '/r/colors/..%2Fpackage.json' });
    expect(typeof registry.requests.at(-1)!.at).toBe('number');
    expect(registry.requests.find((r) => r.path === '/init' && r.query?.base === 'radix')?.query).toEqual({
      base: 'radix',
      style: 'nova',
      track: '1',
    });

    registry.fail({ path: '/init' }, { status: 500, times: Infinity });
    expect((await fetch(`${root}/init?x=1`)).status).toBe(500);
    expect((await fetch(`${root}/init`)).status).toBe(500);
    registry.clearFaults();
    expect((await fetch(`${root}/init`)).status).toBe(200);
  });
});
