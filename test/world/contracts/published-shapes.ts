/**
 * Checks a stand-in's JSON answer against a type the real service's own published package declares:
 * the wire types `@workos-inc/node` exports (`WebhookEndpointResponse`, `UserResponse`, …) and the
 * OpenAPI types of Convex's management and deployment APIs (`@convex-dev/platform`, the package the
 * convex CLI is typed against). The TypeScript checker resolves the type; this walks the value.
 *
 * What counts as a problem: a required field missing, a field the type does not have, a value of the
 * wrong kind, a literal not among the allowed ones. A field the real API has and a stand-in omits on
 * purpose must be named by the caller (`allow`), with its reason next to it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `import type` lines of the probe file: the names tests may use as `W.X` and `P.components…`. */
const PROBE_IMPORTS = [
  "import type * as W from '@workos-inc/node';",
  "import type { components as MgmtComponents, paths as MgmtPaths } from '@convex-dev/platform/managementApi';",
  "import type { components as DeployComponents, paths as DeployPaths } from '@convex-dev/platform/deploymentApi';",
  // The CLI's own account API types ship as source inside the convex package (not exported by name).
  "import type { components as CliComponents } from '../../../node_modules/convex/dist/esm-types/cli/generatedApi.js';",
].join('\n');

interface Checker {
  checker: ts.TypeChecker;
  typeOf(expr: string): ts.Type;
}

let cached: Checker | undefined;

/** One program for every type of a run (building it takes a second or two). */
function load(exprs: string[]): Checker {
  if (cached) return cached;
  const file = path.join(repoRoot, 'test/world/contracts/__probe__.ts');
  // Each type the tests may ask for is declared in the probe up front (a program is immutable).
  const source = `${PROBE_IMPORTS}\n${exprs.map((e, i) => `export type T${i} = ${e};`).join('\n')}\n`;
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === file ? source : readFile(f));
  host.fileExists = ((exists) => (f: string) => path.resolve(f) === file || exists(f))(host.fileExists.bind(host));
  host.getSourceFile = (f, lang, onError, create) =>
    path.resolve(f) === file ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, onError, create);
  const program = ts.createProgram([file], options, host);
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file && path.resolve(d.file.fileName) === file);
  if (errors.length > 0) {
    throw new Error(`published type not found:\n${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')}`);
  }
  const checker = program.getTypeChecker();
  const probe = program.getSourceFile(file)!;
  const byExpr = new Map<string, ts.Type>();
  probe.statements.filter(ts.isTypeAliasDeclaration).forEach((decl, i) => byExpr.set(exprs[i]!, checker.getTypeAtLocation(decl.name)));
  cached = {
    checker,
    typeOf(expr) {
      const t = byExpr.get(expr);
      if (!t) throw new Error(`${expr} was not declared to published-shapes (add it to the list given to publishedShapes)`);
      return t;
    },
  };
  return cached;
}

export interface ShapeOptions {
  /**
   * Differences made on purpose, each with its reason (a required field left out, a field the type
   * lacks, another kind of value), keyed by dotted path from the root, `[]` for array items
   * (e.g. `data[].secret`).
   */
  allow?: Record<string, string>;
}

export interface PublishedShapes {
  /** The problems of `value` as an instance of the published type `expr` (e.g. `W.UserResponse`); none: it conforms. */
  problems(value: unknown, expr: string, opts?: ShapeOptions): string[];
  /** The fields the published type `expr` requires (top level). */
  requiredFields(expr: string): string[];
}

/** Loads the published types once; `exprs` lists every type expression the caller will check against. */
export function publishedShapes(exprs: string[]): PublishedShapes {
  const { checker, typeOf } = load(exprs);

  const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

  function check(value: unknown, type: ts.Type, at: string): string[] {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
    if (type.isUnion()) {
      // A discriminated union (e.g. the event types): the member whose literal fields match is the one to check.
      let best: string[] | undefined;
      for (const member of discriminated(value, type.types)) {
        const found = check(value, member, at);
        if (found.length === 0) return [];
        if (!best || found.length < best.length) best = found;
      }
      return best ?? [`${at}: no type`];
    }
    if (type.isStringLiteral() || type.isNumberLiteral()) {
      return value === type.value ? [] : [`${at}: ${JSON.stringify(value)} is not ${JSON.stringify(type.value)}`];
    }
    if (f & ts.TypeFlags.BooleanLiteral) {
      const want = (type as unknown as { intrinsicName: string }).intrinsicName === 'true';
      return value === want ? [] : [`${at}: ${JSON.stringify(value)} is not ${want}`];
    }
    if (f & ts.TypeFlags.String) return typeof value === 'string' ? [] : [`${at}: ${kindOf(value)} where a string belongs`];
    if (f & (ts.TypeFlags.Number | ts.TypeFlags.BigInt)) return typeof value === 'number' ? [] : [`${at}: ${kindOf(value)} where a number belongs`];
    if (f & ts.TypeFlags.Boolean) return typeof value === 'boolean' ? [] : [`${at}: ${kindOf(value)} where a boolean belongs`];
    if (f & ts.TypeFlags.Null) return value === null ? [] : [`${at}: ${kindOf(value)} where null belongs`];
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return value === undefined ? [] : [`${at}: present where the type has nothing`];
    if (f & ts.TypeFlags.Never) return [`${at}: present where the type allows nothing`];
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      if (!Array.isArray(value)) return [`${at}: ${kindOf(value)} where an array belongs`];
      const item = checker.getTypeArguments(type as ts.TypeReference)[0];
      return item ? value.flatMap((v) => check(v, item, `${at}[]`)) : [];
    }
    if (f & ts.TypeFlags.Object || type.isIntersection()) return checkObject(value, type, at);
    return [];
  }

  /** The members whose literal fields (`event: 'user.created'`, `object: 'user'`) the value has; all when none match. */
  function discriminated(value: unknown, members: ts.Type[]): ts.Type[] {
    if (kindOf(value) !== 'object') return members;
    const record = value as Record<string, unknown>;
    const matching = members.filter((m) =>
      checker.getPropertiesOfType(m).every((p) => {
        const t = checker.getTypeOfSymbol(p);
        return !t.isStringLiteral() || record[p.getName()] === t.value;
      }),
    );
    return matching.length > 0 ? matching : members;
  }

  function checkObject(value: unknown, type: ts.Type, at: string): string[] {
    if (kindOf(value) !== 'object') return [`${at}: ${kindOf(value)} where an object belongs`];
    const record = value as Record<string, unknown>;
    const out: string[] = [];
    const props = checker.getPropertiesOfType(type);
    const open = Boolean(checker.getIndexInfosOfType(type).length);
    for (const prop of props) {
      const name = prop.getName();
      const where = at ? `${at}.${name}` : name;
      const optional = Boolean(prop.flags & ts.SymbolFlags.Optional);
      if (!(name in record)) {
        if (!optional) out.push(`${where}: missing (the published type requires it)`);
        continue;
      }
      out.push(...check(record[name], checker.getTypeOfSymbol(prop), where));
    }
    if (!open) {
      const known = new Set(props.map((p) => p.getName()));
      for (const key of Object.keys(record)) {
        if (!known.has(key)) out.push(`${at ? `${at}.` : ''}${key}: not in the published type`);
      }
    }
    return out;
  }

  return {
    problems(value, expr, opts = {}) {
      const allowed = opts.allow ?? {};
      return check(value, typeOf(expr), '').filter((p) => !(p.slice(0, p.indexOf(':')) in allowed));
    },
    requiredFields(expr) {
      return checker
        .getPropertiesOfType(typeOf(expr))
        .filter((p) => !(p.flags & ts.SymbolFlags.Optional))
        .map((p) => p.getName());
    },
  };
}
