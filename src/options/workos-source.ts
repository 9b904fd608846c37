/**
 * Where a run's WorkOS environment comes from: keys the user gives, or Convex-managed WorkOS
 * (`--workos-managed`: Convex creates or reuses the dev deployment's environment, as the convex CLI's
 * `authKit` provisioning does). Settled with the other options, before anything is written.
 */
import { UsageError } from '../errors.js';
import type { Asker } from './ask.js';
import type { RawOptions } from './resolve.js';
import { flagOf, metaOf, type OptionName } from './schema.js';

const KEYS = ['workosApiKey', 'workosClientId'] as const;

/** Where a key was given on purpose for this run (a flag or the environment), e.g. "--workos-api-key". */
function givenKeys(flags: RawOptions, env: NodeJS.ProcessEnv): string[] {
  return KEYS.flatMap((name) => {
    if (flags[name] !== undefined) return [flagOf(name)];
    const envName = metaOf(name).env as string;
    return env[envName] ? [`${envName} (in the environment)`] : [];
  });
}

/**
 * Decides `raw.workosManaged` in place: refuses keys given with --workos-managed, and asks an
 * interactive run that has no keys which way it wants. `offer`: false where only keys make sense
 * (--add-production). Returns whether the run is managed.
 */
export async function settleWorkosSource(
  raw: RawOptions,
  flags: RawOptions,
  fallback: RawOptions,
  env: NodeJS.ProcessEnv,
  asker: Pick<Asker, 'select'> | undefined,
  offer: boolean,
): Promise<boolean> {
  if (!offer) return false;
  if (raw.account === false) return settleNoAccount(raw, flags, env);
  if (flags.workosManaged === true && fallback.workosManaged !== true && KEYS.some((name) => fallback[name] !== undefined)) {
    throw new UsageError(
      'This project already uses WorkOS keys of its own (in .env.local), so Convex cannot take over its WorkOS environment.',
      'Run it without --workos-managed; --workos-managed is for a new project.',
    );
  }
  if (flags.workosManaged === true) {
    const given = givenKeys(flags, env);
    if (given.length > 0) {
      throw new UsageError(
        `--workos-managed lets Convex create the WorkOS environment, so it takes no WorkOS keys, but ${given.join(' and ')} ${given.length > 1 ? 'were' : 'was'} given.`,
        'Drop --workos-managed to use your own keys, or drop (unset) the keys to let Convex create the environment.',
      );
    }
  }
  if (raw.convexUrl !== undefined && raw.workosManaged === true) {
    throw new UsageError(
      '--workos-managed needs a Convex cloud deployment (Convex creates the WorkOS environment for it), not a self-hosted one.',
      'Drop --workos-managed and pass your WorkOS keys, or drop --convex-url/--convex-admin-key.',
    );
  }
  if (raw.workosManaged === true) return true;
  if (KEYS.some((name) => raw[name] !== undefined) || !asker || raw.convexUrl !== undefined) return false;
  const choice = await asker.select({
    message: 'Which WorkOS environment should the app use?',
    options: [
      { value: 'managed', label: 'Create a WorkOS environment for me (through Convex)', hint: 'no WorkOS account or keys needed' },
      { value: 'keys', label: 'I have WorkOS keys', hint: 'API key and client ID from the WorkOS dashboard' },
      { value: 'none', label: 'Try it without an account', hint: 'no Convex or WorkOS account: runs Convex locally, claim it later' },
    ],
  });
  if (choice === 'none') {
    raw.account = false;
    return true;
  }
  raw.workosManaged = choice === 'managed';
  return choice === 'managed';
}

/**
 * --no-account (or "Try it without an account"): a local anonymous Convex deployment and an unclaimed
 * WorkOS environment, both made later in the run, so no key is asked for (returns true: keys come
 * later). Keys, --workos-managed or a self-hosted deployment contradict it: refused before anything.
 */
function settleNoAccount(raw: RawOptions, flags: RawOptions, env: NodeJS.ProcessEnv): true {
  const given = flags.account === false ? givenKeys(flags, env) : [];
  const clash = [...given, ...(raw.workosManaged === true ? ['--workos-managed'] : []), ...(raw.convexUrl !== undefined ? ['--convex-url'] : [])];
  if (clash.length > 0) {
    throw new UsageError(
      `--no-account makes a local Convex deployment and a new unclaimed WorkOS environment, so it takes no account's keys or deployment, but ${clash.join(' and ')} ${clash.length > 1 ? 'were' : 'was'} given.`,
      'Drop --no-account to use them, or drop (unset) them to try it without an account.',
    );
  }
  return true;
}

/** The line a "missing keys" error adds for the other way. */
export function managedAlternative(missing: OptionName[]): string | undefined {
  if (!missing.some((name) => (KEYS as readonly string[]).includes(name))) return undefined;
  return `  or ${flagOf('workosManaged')}: ${metaOf('workosManaged').description}`;
}

/**
 * --add-production in a Convex-managed project: Convex made a dev (non-production) environment only.
 * Production needs its own keys; without them, say how to get them (Convex creates production
 * environments only for a WorkOS team with billing set up).
 */
export function explainManagedProduction(flags: RawOptions, env: NodeJS.ProcessEnv, managed: boolean): void {
  if (!managed || givenKeys(flags, env).length === KEYS.length) return;
  throw new UsageError(
    "This project's WorkOS environment was created by Convex for the dev deployment; production needs a production WorkOS environment of its own, and its keys.",
    'Get one through Convex: `npx convex integration workos status` shows the WorkOS team Convex made (WorkOS creates production environments only once a payment method is added there: join it with ' +
      '`npx convex integration workos invite`), then `npx convex integration workos create-project-environment --name production --production` prints the new Client ID and API Key. ' +
      '(Or create the keys in the WorkOS dashboard, Production → API Keys.) Then run: npx create-authkit-convex --add-production --domain <host> --workos-api-key sk_live_… --workos-client-id client_…',
  );
}
