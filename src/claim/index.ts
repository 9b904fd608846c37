/**
 * `create-authkit-convex claim`, inside a project made with --no-account: makes it a project of
 * accounts, in this order, each part skipped when already done (so it can be run again):
 * 1. WorkOS: claims the unclaimed environment (the workos CLI's way: a claim link with a one-time
 *    nonce, opened by the user, polled until WorkOS says it is claimed);
 * 2. Convex: the local deployment gives way to a cloud dev deployment of the user's account: the
 *    local one's three lines leave .env.local, the manifest stops saying "no account", and the same
 *    pipeline resumes: Convex login and team, a new project, the WorkOS settings with the webhook at
 *    the new site URL, every variable with the webhook's secret in one call, then the push.
 * Nothing else of the project changes. Data in the local deployment stays there (not copied).
 */
import path from 'node:path';
import fs from 'fs-extra';
import { create } from '../create.js';
import { ENV, WORKOS_CLAIM_TOKEN } from '../env-names.js';
import { UsageError } from '../errors.js';
import { ENV_FILE, readEnvFile } from '../files/env-file.js';
import { writeFileAtomic } from '../files/tree.js';
import { readManifest, saveManifest } from '../manifest.js';
import { redo } from '../pipeline.js';
import { addSecret } from '../secrets.js';
import { isLocalDeployment } from '../systems/convex-local.js';
import { deploymentName } from '../systems/convex.js';
import { claimNonce, claimUrl, UnclaimedEnvironmentError } from '../systems/workos-unclaimed.js';

const SELF = 'npx create-authkit-convex';
/** Steps that belong to the deployment: done again for the cloud one. */
const DEPLOYMENT_STEPS = ['provision-convex', 'configure-workos', 'deployment-env', 'push-convex'];

export interface ClaimOptions {
  cwd: string;
  /** --yes: never prompt (the Convex login must exist then). */
  yes?: boolean;
  /** Seconds to wait for the claim in the WorkOS dashboard. */
  timeoutSeconds: number;
  cliVersion: string;
  pollMs?: number;
  say: (line: string) => void;
}

export async function claim(opts: ClaimOptions): Promise<number> {
  const manifest = await readManifest(opts.cwd);
  if (!manifest) {
    throw new UsageError('This folder is not a project made by create-authkit-convex (it has no authkit-convex.json).', 'Run `claim` inside the project made with --no-account.');
  }
  const local = await readEnvFile(opts.cwd);
  const token = local[WORKOS_CLAIM_TOKEN];
  const clientId = local[ENV.workosClientId];
  const localDeployment = isLocalDeployment(deploymentName(local));
  if (!token && !localDeployment && manifest.options.account !== false) {
    opts.say('Nothing to claim: this project already uses your WorkOS environment and a Convex deployment of your account.');
    return 0;
  }
  if (token) {
    addSecret(token);
    if (!clientId) throw new UsageError(`${ENV_FILE} has ${WORKOS_CLAIM_TOKEN} but no ${ENV.workosClientId}.`, `Put back the environment's ${ENV.workosClientId} in ${ENV_FILE}, then run claim again.`);
    await claimWorkos(clientId, token, opts);
  }
  if (localDeployment || manifest.options.account === false) {
    await leaveLocalDeployment(opts.cwd);
    manifest.options.account = true;
    redo({ manifest }, DEPLOYMENT_STEPS);
    await saveManifest(opts.cwd, manifest);
  }
  opts.say('Moving Convex to your account (a cloud dev deployment), then the webhook:');
  return create({ directory: opts.cwd, yes: opts.yes || undefined, timeout: String(opts.timeoutSeconds) }, opts.cliVersion);
}

/** The claim link, then WorkOS is asked every few seconds until the user finished the claim there. */
async function claimWorkos(clientId: string, token: string, opts: ClaimOptions): Promise<void> {
  const timeoutMs = opts.timeoutSeconds * 1000;
  const until = Date.now() + timeoutMs;
  let shown = false;
  for (;;) {
    let answer;
    try {
      answer = await claimNonce(clientId, token, timeoutMs);
    } catch (error) {
      if (error instanceof UnclaimedEnvironmentError) {
        throw Object.assign(new Error(`Claiming the WorkOS environment failed: ${error.message}`), { fix: `Run \`${SELF} claim\` again in a moment.` });
      }
      throw error;
    }
    if (answer.claimed) {
      opts.say(`✔ The WorkOS environment ${clientId} is claimed: it is yours in the WorkOS dashboard.`);
      return;
    }
    if (!shown) {
      opts.say(`Claim your WorkOS environment: open this link and sign up or in to WorkOS (no card needed):\n  ${claimUrl(answer.nonce)}\nWaiting until it is claimed…`);
      shown = true;
    }
    if (Date.now() >= until) {
      throw new UsageError(
        `The WorkOS environment ${clientId} is not claimed yet (waited ${opts.timeoutSeconds} s).`,
        `Open the link above, finish the claim in the WorkOS dashboard, then run \`${SELF} claim\` again.`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 2000));
  }
}

/** The local deployment's lines leave .env.local (nothing else), so the pipeline provisions a cloud one. */
async function leaveLocalDeployment(projectDir: string): Promise<void> {
  const file = path.join(projectDir, ENV_FILE);
  const text = await fs.readFile(file, 'utf8');
  const env = await readEnvFile(projectDir);
  if (!isLocalDeployment(deploymentName(env))) return;
  const names = [ENV.convexDeployment, ENV.convexUrl, ENV.convexSiteUrl];
  const kept = text.split('\n').filter((line) => !names.some((name) => new RegExp(`^\\s*(export\\s+)?${name}\\s*=`).test(line)));
  await writeFileAtomic(file, kept.join('\n'), 0o600);
}
