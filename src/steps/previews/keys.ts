/**
 * The WorkOS keys of preview deployments: the dev ones in .env.local, unless --workos-api-key /
 * --workos-client-id come with --add-previews (another non-production environment). Never production.
 */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { Options } from '../../options/schema.js';

export interface PreviewKeys {
  apiKey: string;
  clientId: string;
}

const taken = new WeakMap<object, PreviewKeys>();

/** Whether this run's project has (or gets) preview deployments. */
export const previewsChosen = (options: Options): boolean => options.previews === true || options.addPreviews === true;

/** Refused before anything runs: an sk_live_ key would give every branch build the production environment. */
export function refuseProductionPreviewKeys(options: Options): void {
  if (!previewsChosen(options) || !options.workosApiKey.startsWith('sk_live_')) return;
  throw new UsageError(
    'Preview deployments must not use a production WorkOS environment, and the API key for them is an sk_live_ key.',
    'Give the keys of a non-production (staging) environment: --add-previews --workos-api-key sk_test_… --workos-client-id client_… ' +
      '(without them, the dev keys in .env.local are used).',
  );
}

export function setPreviewKeys(ctx: Pick<Context, 'options'>, keys: PreviewKeys): void {
  taken.set(ctx, keys);
}

/** The keys the previews step took this run; the run's own keys if it did not run. */
export function previewKeys(ctx: Pick<Context, 'options'>): PreviewKeys {
  return taken.get(ctx) ?? { apiKey: ctx.options.workosApiKey, clientId: ctx.options.workosClientId };
}
