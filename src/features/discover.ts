/** Which files of src/features are features: every module but the table's own. */
import { readdirSync } from 'node:fs';

const NOT_FEATURES = new Set(['index', 'types', 'discover']);

export function featureModuleNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .filter((name) => !NOT_FEATURES.has(name))
    .sort();
}
