import type { Context, Step } from '../context.js';
import { CliError } from '../errors.js';
import { addSecret } from '../secrets.js';
import { connectWorkOS, verifyKeys } from '../systems/workos.js';
import { devOnly } from './production/scope.js';

export const verifyWorkos: Step = {
  id: 'verify-workos',
  title: 'Verify the WorkOS keys',
  // Cheap, and keys can change between runs: check them every time, before anything is created.
  always: true,
  appliesTo: devOnly,
  // Convex-managed: its environment's keys are checked once Convex gives them (managed-workos/).
  skipReason: (ctx) =>
    ctx.options.workosApiKey
      ? undefined
      : ctx.options.workosManaged
        ? 'Convex creates the WorkOS environment later in the run'
        : ctx.options.account === false
          ? 'an unclaimed WorkOS environment is made later in the run'
          : undefined,
  describe: () => 'check the API key and the client ID with WorkOS before creating anything',
  async run(ctx) {
    for (;;) {
      ctx.workos = await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs);
      try {
        await verifyKeys(ctx.workos, ctx.options.workosClientId);
        return ctx.workos.origin;
      } catch (error) {
        if (!ctx.interactive) throw error;
        // Someone is there: a key WorkOS rejects is asked for again; an unreachable API is worth another try.
        const rejected = error instanceof CliError ? (error as { option?: 'workosApiKey' | 'workosClientId' }).option : undefined;
        if (rejected) await askAgain(ctx, rejected, error as CliError);
        else if (error instanceof CliError || !(await askRetry(ctx, error as Error))) throw error;
      }
    }
  },
};

/** The user gives the value again; nothing was written yet, so only the options change. */
async function askAgain(ctx: Context, name: 'workosApiKey' | 'workosClientId', error: CliError): Promise<void> {
  ctx.reporter.warn(`${error.message} ${error.fix ?? ''}`.trim());
  const value = await ctx.ask.ask(name);
  if (typeof value !== 'string') throw error;
  const parsed = (await import('../options/schema.js')).optionTable[name].schema.parse(value);
  if (name === 'workosApiKey') addSecret(parsed);
  else ctx.manifest.options.workosClientId = parsed;
  ctx.options[name] = parsed;
}

async function askRetry(ctx: Context, error: Error): Promise<boolean> {
  ctx.reporter.warn(error.message);
  return ctx.ask.confirm({ message: 'Try WorkOS again?', initialValue: true });
}
