/**
 * Which run does what: the production steps run only when --add-production is given (they are
 * idempotent, so a rerun creates and changes nothing); the dev steps that run every time stand
 * aside then, since the run's WorkOS keys are the production environment's.
 */
import type { Context } from '../../context.js';

/** For the dev steps that run every time: not part of a production run. */
export const devOnly = (ctx: Context): boolean => !ctx.options.addProduction;

/** For the production steps: part of a production run only. */
export const productionOnly = (ctx: Context): boolean => Boolean(ctx.options.addProduction);

/** The production site's origin, e.g. https://app.example.com. */
export const productionOrigin = (ctx: Context) => `https://${ctx.options.domain}`;

/** What the production steps learn, kept in memory (the manifest holds the non-secret part). */
export function production(ctx: Context): NonNullable<Context['production']> {
  return (ctx.production ??= {});
}

/** The manifest's record of production, made at the first production step. */
export function productionRecord(ctx: Context) {
  const record = ctx.manifest.production;
  if (!record) throw new Error('the production record is missing from the manifest (run --add-production again)');
  return record;
}
