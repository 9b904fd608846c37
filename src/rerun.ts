/** A run that adds features (--add-…) to a project this tool made: what it must redo, or nothing. */
import type { Context, Step } from './context.js';
import { addedFeatures, chosenFeatures, givenSettings } from './features/index.js';
import { manifestOptions } from './options/schema.js';
import { isDone, redo, stepsFor } from './pipeline.js';

/**
 * Prepares the manifest for the added features: the steps each feature names run again, and the
 * manifest records the new options. Returns false when there is nothing to do (the features are there,
 * the setup finished, and none asks to be repaired by adding it again).
 */
export function prepareRerun(ctx: Context, steps: Step[]): boolean {
  const { manifest, options } = ctx;
  const added = addedFeatures(options);
  const missing = chosenFeatures(options).filter((f) => !manifest.features.includes(f.id));
  const unfinished = stepsFor(ctx, steps).some((s) => !isDone(ctx, s.id) && !s.printsOnly && !s.skipReason?.(ctx));
  // Settings (e.g. --workos-auth-domain) whose value differs from the one the manifest records.
  const changed = givenSettings(options).filter((s) => options[s.option] !== manifest.options[s.option]);
  if (missing.length === 0 && !unfinished && changed.length === 0 && !added.some((f) => f.addAgainRepairs)) return false;
  redo(ctx, [...new Set([...added.flatMap((f) => f.rerun), ...changed.flatMap((s) => s.rerun)])]);
  manifest.options = { ...manifest.options, ...manifestOptions(options) };
  return true;
}
