/**
 * The feature table: one module per feature in this folder (base.ts, webhooks.ts, sso.ts, …), each
 * exporting `feature` (see ./types.ts), and its template folder `templates/<id>/`. Nothing else lists
 * them: the build finds the modules here (tsup.config.ts), and runs from source read the folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { featureModuleNames } from './discover.js';
import type { Feature, FeatureVar } from './types.js';

export type { Feature, FeatureVar, DoctorStage } from './types.js';

/** Inlined by the build (tsup.config.ts); from source, the folder is read. */
declare const __FEATURE_MODULES__: string[] | undefined;
const names = typeof __FEATURE_MODULES__ !== 'undefined' ? __FEATURE_MODULES__ : featureModuleNames(path.dirname(fileURLToPath(import.meta.url)));

// A template-literal import: the bundler includes every module of this folder.
const modules = (await Promise.all(names.map((name) => import(`./${name}.ts`)))) as Array<{ feature?: Feature }>;

export const features: Feature[] = modules
  .map((m, i) => {
    if (!m.feature) throw new Error(`src/features/${names[i]}.ts exports no \`feature\``);
    return m.feature;
  })
  .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));

/** The option that adds a feature to an existing project: `addWebhooks` for `--add-webhooks`. */
export function addOptionName(feature: Feature): string {
  return 'add' + feature.id.replace(/(^|-)(\w)/g, (_, _dash, c: string) => c.toUpperCase());
}

/** The option that turns a feature on in a new project (its id, camel-cased as commander does). */
export function optionName(feature: Feature): string {
  return feature.id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/** Features with an option: the ones a user chooses. */
export const optionalFeatures = (): Feature[] => features.filter((f) => f.option);

/** The features a run's options choose, in order (base and its like always). */
export function chosenFeatures(options: Record<string, unknown>): Feature[] {
  return features.filter((f) => !f.option || options[optionName(f)] === true);
}

/** The features the run adds to an existing project (--add-…). */
export function addedFeatures(options: Record<string, unknown>): Feature[] {
  return optionalFeatures().filter((f) => options[addOptionName(f)] === true);
}

export const featureIds = (list: Feature[]): string[] => list.map((f) => f.id);

/** The variables the chosen features need in one place (`local` or `deployment`), in order. */
export function varsOf(chosen: Feature[], where: FeatureVar['where']): FeatureVar[] {
  return chosen.flatMap((f) => f.vars ?? []).filter((v) => v.where === where);
}

/** The settings (see Feature.settings) a run's flags give. */
export function givenSettings(flags: Record<string, unknown>): Array<{ option: string; rerun: string[] }> {
  return features.flatMap((f) => f.settings ?? []).filter((s) => flags[s.option] !== undefined);
}

/** A usage problem when a chosen feature lacks one it requires (e.g. organizations without webhooks), else undefined. */
export function missingRequirement(options: Record<string, unknown>): { feature: Feature; requires: Feature } | undefined {
  const chosen = chosenFeatures(options);
  for (const feature of chosen) {
    for (const id of feature.requires ?? []) {
      const requires = features.find((f) => f.id === id);
      if (requires && !chosen.includes(requires)) return { feature, requires };
    }
  }
  return undefined;
}

/** The webhook events the chosen features handle beyond the sync's own (e.g. organizations' invitations). */
export function extraWebhookEvents(options: Record<string, unknown>): string[] {
  return [...new Set(chosenFeatures(options).flatMap((f) => f.workos?.webhookEvents ?? []))];
}
