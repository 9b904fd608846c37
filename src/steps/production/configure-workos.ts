import type { Step } from '../../context.js';
import { configureEnvironment, connectWorkOS } from '../../systems/workos.js';
import { productionOnly, productionOrigin } from './scope.js';

export const configureProductionWorkos: Step = {
  id: 'production-workos',
  title: 'Configure the production WorkOS environment',
  // Idempotent ("already exists" counts as done): every run.
  always: true,
  appliesTo: productionOnly,
  describe: (ctx) => `redirect URIs ${productionOrigin(ctx)}/callback and /callback/oauth, CORS origin and homepage ${productionOrigin(ctx)}`,
  async run(ctx) {
    const api = (ctx.workos ??= await connectWorkOS(ctx.options.workosApiKey, ctx.options.workosClientId, ctx.timeoutMs));
    const origin = productionOrigin(ctx);
    const { dashboardSteps } = await configureEnvironment(api, `${origin}/callback`);
    // No WorkOS API sets the sign-out redirect either: the dashboard step, for the production environment.
    ctx.dashboardSteps = [...dashboardSteps, `WorkOS dashboard → Redirects → Logout redirect: set it to ${origin}`].map((line) =>
      line.replace('WorkOS dashboard →', 'WorkOS dashboard (Production environment) →'),
    );
    return `${origin}/callback, CORS, homepage`;
  },
};
