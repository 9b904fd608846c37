/**
 * The component tree of a push (convex.config.ts's `app.use(...)`), as start_push's answer describes
 * it: the CLI generates `components` in convex/_generated/api.d.ts from `analysis[''].definition
 * .childComponents`. Like the real service, the stand-in evaluates each bundled definition (a
 * dependency first), giving each `import … from "./_componentDeps/<base64 of its path>"` the object the
 * runtime gives it (`componentDefinitionPath`, `defaultName`), and takes what the definition's
 * `export()` says (its name, its children and their names).
 */
import vm from 'node:vm';
import { isRecord } from './errors.js';

type Definition = { path: string; source: string; dependencies: string[] };
type Analysis = { name?: string; definitionType: unknown; childComponents: Array<{ name: string; path: string }>; httpMounts: unknown; exports: unknown };

/** The app's definition (path '') and every component definition the push carries. */
function definitionsOf(body: unknown): Definition[] {
  if (!isRecord(body)) return [];
  const out: Definition[] = [];
  const deps = (d: unknown) => (Array.isArray(d) ? d.filter((p): p is string => typeof p === 'string') : []);
  const app = isRecord(body.appDefinition) ? body.appDefinition : {};
  const appSource = isRecord(app.definition) && typeof app.definition.source === 'string' ? app.definition.source : '';
  out.push({ path: '', source: appSource, dependencies: deps(app.dependencies) });
  for (const c of Array.isArray(body.componentDefinitions) ? body.componentDefinitions : []) {
    if (!isRecord(c) || typeof c.definitionPath !== 'string') continue;
    const source = isRecord(c.definition) && typeof c.definition.source === 'string' ? c.definition.source : '';
    out.push({ path: c.definitionPath, source, dependencies: deps(c.dependencies) });
  }
  return out;
}

/** Runs one bundled definition (ESM, imports only its dependencies) and returns its `export()`. */
function evaluate(source: string, dependency: (path: string) => unknown): Analysis | undefined {
  if (!source) return undefined;
  const body = source
    .replace(/import\s*([\w$]+)\s*from\s*"\.\/_componentDeps\/([\w+/=-]+)"\s*;?/g, (_, name: string, b64: string) => `var ${name}=__dep(${JSON.stringify(b64)});`)
    .replace(/export\s*\{\s*([\w$]+)\s+as\s+default\s*\}\s*;?/, 'module.exports.default=$1;');
  const module = { exports: {} as { default?: { export?: () => Analysis } } };
  const __dep = (b64: string) => dependency(Buffer.from(b64, 'base64url').toString('utf8'));
  vm.runInNewContext(body, { module, __dep, console, TextEncoder, TextDecoder }, { timeout: 1000 });
  return module.exports.default?.export?.();
}

/** start_push's `analysis` (one entry per definition) and `app` (the checked component tree). */
export function componentTree(body: unknown, udfConfig: unknown): { analysis: Record<string, unknown>; app: Record<string, unknown> } {
  const defs = definitionsOf(body);
  const byPath = new Map(defs.map((d) => [d.path, d]));
  const evaluated = new Map<string, Analysis | undefined>();
  const analyse = (path: string, seen: string[] = []): Analysis | undefined => {
    if (evaluated.has(path) || seen.includes(path)) return evaluated.get(path);
    const d = byPath.get(path);
    let result: Analysis | undefined;
    try {
      result = evaluate(d?.source ?? '', (dep) => ({ componentDefinitionPath: dep, defaultName: analyse(dep, [...seen, path])?.name }));
    } catch {
      // A definition the stand-in cannot run: described without children, as before components.
    }
    evaluated.set(path, result);
    return result;
  };
  const analysis: Record<string, unknown> = {};
  for (const d of defs) {
    const a = analyse(d.path);
    analysis[d.path] = {
      definition: {
        path: d.path,
        definitionType: a?.definitionType ?? (d.path === '' ? { type: 'app' } : { type: 'childComponent', name: 'component', args: [] }),
        childComponents: a?.childComponents ?? [],
        httpMounts: a?.httpMounts ?? {},
        exports: a?.exports ?? { type: 'branch', branch: [] },
      },
      schema: null,
      functions: {},
      udfConfig,
    };
  }
  const checked = (path: string, componentPath: string): Record<string, unknown> => ({
    definitionPath: path,
    componentPath,
    args: {},
    childComponents: Object.fromEntries(
      (evaluated.get(path)?.childComponents ?? []).map((c) => [c.name, checked(c.path, componentPath ? `${componentPath}/${c.name}` : c.name)]),
    ),
    httpRoutes: { httpModuleRoutes: null, mounts: [] },
    exports: {},
  });
  return { analysis, app: checked('', '') };
}
