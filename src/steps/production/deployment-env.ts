import type { Step } from '../../context.js';
import { chosenFeatures, varsOf } from '../../features/index.js';
import { addSecret } from '../../secrets.js';
import { listDeploymentEnv, setDeploymentEnv } from '../../systems/convex.js';
import { production, productionOnly, productionRecord } from './scope.js';

export const setProductionEnv: Step = {
  id: 'production-env',
  title: 'Set the production deployment environment',
  always: true,
  appliesTo: productionOnly,
  describe: (ctx) => `${[...new Set(varsOf(chosenFeatures(ctx.options), 'deployment').map((v) => v.name))].join(', ')} in one call, before anything is deployed there`,
  async run(ctx) {
    // The features' deployment variables, with this run's values: the production keys and webhook secret.
    const wanted: Record<string, string> = {};
    const state = production(ctx);
    const limit = { timeoutMs: ctx.timeoutMs, deployment: 'prod' as const };
    const current = state.deploymentEnv ?? (await listDeploymentEnv(ctx.projectDir, limit));
    for (const v of varsOf(chosenFeatures(ctx.options), 'deployment')) {
      const value = v.value(ctx, current[v.name]);
      if (value === undefined) continue;
      if (v.secret) addSecret(value);
      wanted[v.name] = value;
    }
    const changes = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => current[k] !== v));
    const record = productionRecord(ctx);
    record.deploymentEnv = [...new Set([...record.deploymentEnv, ...Object.keys(wanted)])].sort();
    if (Object.keys(changes).length === 0) return 'already up to date';
    await setDeploymentEnv(ctx.projectDir, changes, limit);
    const after = (state.deploymentEnv = await listDeploymentEnv(ctx.projectDir, limit));
    const missing = Object.entries(wanted).filter(([k, v]) => after[k] !== v).map(([k]) => k);
    if (missing.length > 0) throw new Error(`the production deployment does not show ${missing.join(', ')} after setting them`);
    // The functions there read these variables (auth.config.ts at deploy time): deploy again.
    return { detail: `set ${Object.keys(changes).join(', ')}`, invalidates: ['production-deploy'] };
  },
};
