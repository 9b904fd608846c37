/**
 * The command-line flags, derived from the option table. The build computes this list once and inlines
 * it into the CLI (tsup.config.ts), so `--help` and `--version` start without loading zod.
 */
import { optionNames, optionTable } from './schema.js';

export interface CliFlag {
  flag: string;
  description: string;
}

export function cliFlags(): CliFlag[] {
  const out: CliFlag[] = [];
  for (const name of optionNames) {
    const meta = optionTable[name]!.meta as { flag?: string; description: string; env?: string; negated?: string };
    if (!meta.flag) continue;
    const env = meta.env ? ` [env: ${meta.env}]` : '';
    out.push({ flag: meta.flag, description: meta.description + env });
    // Boolean options that default on also get their --no- form.
    const dflt = (optionTable[name]!.schema as { def?: { defaultValue?: unknown } }).def?.defaultValue;
    if (dflt === true) out.push({ flag: meta.flag.replace('--', '--no-'), description: meta.negated ?? `Leave out: ${meta.description.split(' (')[0]}` });
  }
  return out;
}

export const directoryDescription = (): string => optionTable.directory.meta.description;
