/**
 * The checks of an --add-production run made before any step (bad input exits 2, nothing written):
 * the project's dev setup is finished and on Convex cloud, no feature is added in the same run, and
 * the keys are a production environment's, not the dev keys of .env.local.
 */
import { ENV } from '../env-names.js';
import { UsageError } from '../errors.js';
import { addedFeatures } from '../features/index.js';
import { readEnvFile } from '../files/env-file.js';
import { isDone } from '../pipeline.js';
import { hasVercelCli, vercelLinkOf } from '../systems/vercel.js';
import type { Target } from '../target.js';
import type { Asker } from './ask.js';
import type { RawOptions } from './resolve.js';
import { optionTable, type OptionName, type Options } from './schema.js';

const SELF = 'npx create-authkit-convex';

export function checkProductionTarget(flags: RawOptions, target: Target): void {
  const manifest = target.existing!;
  if (addedFeatures(flags).length > 0) {
    throw new UsageError('--add-production cannot be combined with another --add-… option.', 'Add the feature first, then run --add-production on its own.');
  }
  if (manifest.options.convexUrl) {
    throw new UsageError(
      'This project uses a self-hosted Convex deployment: --add-production sets up Convex cloud production deployments only.',
      'Deploy your self-hosted backend yourself (convex deploy with CONVEX_SELF_HOSTED_URL/ADMIN_KEY).',
    );
  }
  if (!isDone({ manifest }, 'push-convex')) {
    throw new UsageError('The dev setup of this project is not finished yet, so there is nothing to ship.', `Finish it first with ${SELF} . (it resumes), then run --add-production.`);
  }
}

export async function checkProductionKeys(options: Options, projectDir: string): Promise<void> {
  if (options.workosApiKey.startsWith('sk_test_') && !options.allowTestKeys) {
    throw new UsageError(
      'The WorkOS API key is a test key (sk_test_…), but --add-production needs the production environment\'s key (sk_live_…).',
      'Copy the key from the WorkOS dashboard with the Production environment selected (API Keys), or pass --allow-test-keys to ship to a staging environment.',
    );
  }
  const dev = await readEnvFile(projectDir);
  if (options.workosClientId === dev[ENV.workosClientId] || options.workosApiKey === dev[ENV.workosApiKey]) {
    throw new UsageError(
      'These are the WorkOS keys of the dev environment (the ones in .env.local); production needs its own.',
      'Pass the production environment\'s keys with --workos-api-key and --workos-client-id (WorkOS dashboard → Production → API Keys).',
    );
  }
}

/** The asker of an --add-production run: the key prompts say which environment's keys they want. */
export function productionAsker<T extends Pick<Asker, 'ask' | 'password' | 'text'>>(asker: T): T {
  const messages: Partial<Record<OptionName, string>> = {
    workosApiKey: "Production WorkOS API key (sk_live_…: WorkOS dashboard, Production environment → API Keys; hidden as you paste)",
    workosClientId: 'Production WorkOS client ID (same page)',
  };
  return {
    ...asker,
    async ask(name, check) {
      const message = messages[name];
      if (!message) return asker.ask(name, check);
      const validate = (v: string | undefined) => {
        const parsed = optionTable[name]!.schema.safeParse(v ?? '');
        return parsed.success ? check?.(String(v ?? '').trim()) : parsed.error.issues[0]?.message;
      };
      const answer = name === 'workosApiKey' ? await asker.password({ message, validate }) : await asker.text({ message, placeholder: 'client_01…', validate });
      return answer.trim() === '' ? undefined : answer.trim();
    },
  };
}

/** --set-vercel-env asks for what it needs before anything runs: a production run, a linked folder, the CLI. */
export function checkVercelHost(options: Options, projectDir: string): void {
  if (!options.setVercelEnv) return;
  if (!options.addProduction) throw new UsageError('--set-vercel-env goes with --add-production.', `Run ${SELF} --add-production --set-vercel-env in the project.`);
  if (!vercelLinkOf(projectDir)) {
    throw new UsageError('--set-vercel-env: this folder is not linked to a Vercel project (no .vercel/project.json).', 'Run `vercel link` in the project first, or leave out --set-vercel-env.');
  }
  if (!hasVercelCli()) throw new UsageError('--set-vercel-env needs the vercel CLI, which is not on PATH.', 'Install it (npm i -g vercel) and log in (vercel login), or leave out --set-vercel-env.');
}

/**
 * The custom authentication domain of an --add-production run: the one given, else the one production
 * was set up with. Never the dev one of the manifest's options: each WorkOS environment has its own.
 */
export function productionAuthDomain(flags: RawOptions, options: Options, target: Target): string | undefined {
  return flags.workosAuthDomain !== undefined ? options.workosAuthDomain : target.existing?.production?.authDomain;
}
