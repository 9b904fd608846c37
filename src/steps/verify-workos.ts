import type { Context, Step } from '../context.js';
import { CancelledError, CliError } from '../errors.js';
import { connectWorkOS, verifyKeys } from '../systems/workos.js';

export const verifyWorkos: Step = {
  id: 'verify-workos',
  title: 'Verify the WorkOS keys',
  // Cheap, and keys can change between runs: check them every time, before anything is created.
  always: true,
  describe: () => 'check the API key and the client ID with WorkOS before creating anything',
  async run(ctx) {
    ctx.workos = await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs);
    for (;;) {
      try {
        await verifyKeys(ctx.workos, ctx.options.workosClientId);
        return ctx.workos.origin;
      } catch (error) {
        // A wrong key or client ID is final; an unreachable API is worth another try when someone is there.
        if (error instanceof CliError || !ctx.interactive || !(await askRetry(ctx, error as Error))) throw error;
      }
    }
  },
};

async function askRetry(ctx: Context, error: Error): Promise<boolean> {
  const p = await import('@clack/prompts');
  ctx.reporter.warn(error.message);
  const answer = await p.confirm({ message: 'Try WorkOS again?', initialValue: true });
  if (p.isCancel(answer)) throw new CancelledError();
  return answer === true;
}
