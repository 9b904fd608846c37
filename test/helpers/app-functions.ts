/**
 * Runs a generated app's own convex/ functions on convex-test's engine (the app's installed copy),
 * so the Convex stand-in can serve them: queries, mutations, actions and HTTP actions, with the
 * caller's identity taken from the token the stand-in validated.
 *
 * Only works inside vitest: the app's TypeScript modules are loaded through vitest's transform.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fs from 'fs-extra';
import type { FunctionRunner, Identity } from '../world/convex/index.js';

type Accessor = {
  registerComponent?(name: string, schema: unknown, modules: Record<string, () => Promise<unknown>>): void;
  query(ref: unknown, args: unknown): Promise<unknown>;
  mutation(ref: unknown, args: unknown): Promise<unknown>;
  action(ref: unknown, args: unknown): Promise<unknown>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  withIdentity(identity: Record<string, unknown>): Accessor;
};

/** Files Convex deploys (and convex-test loads): no tests, no names with two dots. */
async function convexModules(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await convexModules(full, root)));
    else if (/^[^.]+\.(ts|js)$/.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * The Convex components the app's convex.config.ts uses, by the name it mounts them under, and their
 * package: each is registered on convex-test from its published build (what its `/test` helper does
 * from its sources), so the app's functions that call a component run.
 */
const COMPONENTS: Array<[name: string, pkg: string]> = [
  ['rateLimiter', '@convex-dev/rate-limiter'],
  // The rate limiter's own component.
  ['rateLimiter/batchWorker', '@convex-dev/batch-worker'],
];

async function registerComponents(t: Accessor, appDir: string): Promise<void> {
  for (const [name, pkg] of COMPONENTS) {
    const dir = path.join(appDir, 'node_modules', pkg, 'dist', 'component');
    if (!(await fs.pathExists(dir))) continue;
    const files = (await convexModules(dir)).filter((f) => f.endsWith('.js'));
    // Loaded now, not at the first call: importing inside a mutation would run the module loader's
    // timers there, which convex-test refuses (no setTimeout/clearTimeout in a transaction).
    const loaded = await Promise.all(files.map(async (f) => [f, await import(/* @vite-ignore */ pathToFileURL(f).href)] as const));
    const modules = Object.fromEntries(loaded.map(([f, m]) => [f, () => Promise.resolve(m)]));
    const schema = ((await import(/* @vite-ignore */ pathToFileURL(path.join(dir, 'schema.js')).href)) as { default: unknown }).default;
    t.registerComponent!(name, schema, modules);
  }
}

export async function appFunctions(appDir: string, env: Record<string, string>): Promise<FunctionRunner & { dispose(): void }> {
  const convexDir = path.join(appDir, 'convex');
  const pkg = (name: string, sub: string) => pathToFileURL(path.join(appDir, 'node_modules', name, sub)).href;
  // The app's own installed copies (ESM builds), so convex-test and the functions share one `convex`.
  const { convexTest } = (await import(/* @vite-ignore */ pkg('convex-test', 'dist/index.js'))) as { convexTest: (schema: unknown, modules: unknown) => Accessor };
  const { makeFunctionReference } = (await import(/* @vite-ignore */ pkg('convex', 'dist/esm/server/index.js'))) as {
    makeFunctionReference: (name: string) => unknown;
  };
  const { convexToJson } = (await import(/* @vite-ignore */ pkg('convex', 'dist/esm/values/index.js'))) as { convexToJson: (v: unknown) => unknown };

  const files = await convexModules(convexDir);
  const modules = Object.fromEntries(files.map((f) => [f, () => import(/* @vite-ignore */ f)]));
  const schema = ((await import(/* @vite-ignore */ path.join(convexDir, 'schema.ts'))) as { default: unknown }).default;
  const t = convexTest(schema, modules);
  await registerComponents(t, appDir);

  // Functions read the deployment's environment variables from process.env.
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);

  const as = (identity: Identity | null): Accessor => (identity ? t.withIdentity(identity) : t);
  /** Clients may call only public functions, like on a real deployment. */
  const publicRef = async (type: 'query' | 'mutation' | 'action', udfPath: string) => {
    const [mod = '', name = 'default'] = udfPath.split(':');
    const file = files.find((f) => path.relative(convexDir, f).replace(/\.(ts|js)$/, '') === mod);
    const fn = file ? ((await import(/* @vite-ignore */ file)) as Record<string, { isPublic?: boolean } | undefined>)[name] : undefined;
    if (!fn?.isPublic) throw new Error(`Could not find public function for '${udfPath}'. Did you forget to run \`npx convex dev\`?`);
    return makeFunctionReference(udfPath);
  };
  const json = (v: unknown) => convexToJson(v === undefined ? null : v);

  return {
    async query(udfPath, args, identity) {
      return json(await as(identity).query(await publicRef('query', udfPath), args));
    },
    async mutation(udfPath, args, identity) {
      return json(await as(identity).mutation(await publicRef('mutation', udfPath), args));
    },
    async action(udfPath, args, identity) {
      return json(await as(identity).action(await publicRef('action', udfPath), args));
    },
    async fetch(request) {
      const url = new URL(request.url);
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
      return t.fetch(url.pathname + url.search, { method: request.method, headers: request.headers, body });
    },
    dispose() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
}
