/**
 * Reads what the shipped lockfiles say, per format, for the tests: which version each direct
 * dependency resolves to, and the root package's own list (the set the lockfile was made for).
 */
import type { LockfileKind } from '../../src/systems/lockfile.js';

export interface LockfileView {
  /** The version the root's dependency `name` (as package.json asks for it: `spec`) resolves to. */
  resolved(name: string, spec: string): string | undefined;
  /** The root package's dependencies as the lockfile records them, by package.json field where it keeps them apart. */
  root: Record<string, Record<string, string>>;
}

/** The entries of a yarn.lock (1 or 2+): each descriptor of an entry's header, to that entry's lines. */
function yarnEntries(text: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const block of text.split(/\n\n+/)) {
    const [header, ...lines] = block.split('\n').filter((l) => l && !l.startsWith('#'));
    if (!header || header.startsWith(' ') || !header.endsWith(':') || header.startsWith('__metadata')) continue;
    for (const d of header.slice(0, -1).split(', ')) entries.set(d.replace(/^"|"$/g, ''), lines);
  }
  return entries;
}

/** `key: value` / `key "value"` lines at one indent, under `parent` (or at the top when none). */
function section(lines: string[], parent: string, indent: string): Record<string, string> {
  const start = lines.indexOf(parent);
  if (start < 0) return {};
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(indent)) break;
    if (line.startsWith(indent + ' ')) continue;
    const m = /^\s*("[^"]+"|\S+?):? "?([^"]*)"?$/.exec(line);
    if (m) out[m[1]!.replace(/^"|"$/g, '')] = m[2]!;
  }
  return out;
}

function yarn1(text: string): LockfileView {
  const entries = yarnEntries(text);
  const version = (lines?: string[]) => lines?.find((l) => l.startsWith('  version '))?.match(/"(.*)"/)?.[1];
  return { resolved: (name, spec) => version(entries.get(`${name}@${spec}`)), root: {} };
}

function yarn4(text: string): LockfileView {
  const entries = yarnEntries(text);
  const version = (lines?: string[]) => lines?.find((l) => l.startsWith('  version: '))?.slice('  version: '.length);
  const workspace = [...entries].find(([d]) => d.endsWith('@workspace:.'))?.[1] ?? [];
  // Berry keeps one list for dependencies and devDependencies, each as `npm:<spec>`.
  const deps = Object.fromEntries(Object.entries(section(workspace, '  dependencies:', '    ')).map(([n, s]) => [n, s.replace(/^npm:/, '')]));
  return { resolved: (name, spec) => version(entries.get(`${name}@npm:${spec}`)), root: { all: deps } };
}

function pnpm(text: string): LockfileView {
  const importer = text.slice(text.indexOf('\n  .:\n'), text.indexOf('\npackages:'));
  const root: Record<string, Record<string, string>> = {};
  const versions: Record<string, string> = {};
  for (const [, field, body] of importer.matchAll(/^ {4}(\w+):\n((?: {6}.*\n?)*)/gm)) {
    root[field!] = {};
    for (const [, name, spec, version] of body!.matchAll(/ {6}'?([^':\n]+)'?:\n {8}specifier: (.*)\n {8}version: ([^(\n]*)/g)) {
      root[field!]![name!] = spec!.replace(/^'|'$/g, '');
      versions[name!] = version!;
    }
  }
  return { resolved: (name) => versions[name], root };
}

function bun(text: string): LockfileView {
  // bun.lock is JSON with trailing commas.
  const lock = JSON.parse(text.replace(/,(\s*[}\]])/g, '$1')) as {
    workspaces: Record<string, Record<string, Record<string, string>>>;
    packages: Record<string, [string, string, ...unknown[]]>;
  };
  const { name: _name, ...root } = lock.workspaces['']!;
  return { resolved: (name) => lock.packages[name]?.[0].slice(name.length + 1), root };
}

export function readLockfile(kind: Exclude<LockfileKind, 'npm'>, text: string): LockfileView {
  return { pnpm, yarn1, yarn4, bun }[kind](text);
}

/** bun.lock's registry column (empty: the user's registry) for every package. */
export function bunRegistries(text: string): string[] {
  const lock = JSON.parse(text.replace(/,(\s*[}\]])/g, '$1')) as { packages: Record<string, [string, string]> };
  return Object.values(lock.packages).map((p) => p[1]);
}
