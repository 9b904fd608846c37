/**
 * Convex-managed WorkOS: the routes of Convex's account API that the convex CLI (1.49,
 * `lib/workos/platformApi.ts`) calls to link a WorkOS team to a Convex team and to get or create a
 * deployment's WorkOS environment. Called directly (not through `npx convex integration workos`):
 * that command asks its questions in the terminal only, and sets the deployment's variables itself,
 * before (and apart from) the one call that sets them all here.
 */
import { UsageError } from '../errors.js';
import { addSecret } from '../secrets.js';
import { accessToken, LOGIN_COMMAND, provisionHost } from './convex.js';

/** Convex's answer to a refused call: its status and `{code, message}`. */
export class ConvexApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(what: string, method: 'GET' | 'POST', route: string, body: unknown, timeoutMs: number): Promise<T> {
  const token = accessToken();
  if (!token) throw new UsageError('You are not logged in to Convex.', `Run \`${LOGIN_COMMAND}\` once, then run this command again.`);
  let response: Response;
  try {
    response = await fetch(`${provisionHost()}/api/${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Convex-Client': 'create-authkit-convex', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(Math.min(timeoutMs, 120_000)),
    });
  } catch (error) {
    throw Object.assign(new Error(`could not reach Convex (${what}): ${(error as Error).message}`), {
      fix: 'Check your network connection, then run the same command again: it resumes at this step.',
    });
  }
  if (response.status === 401) {
    throw new UsageError('Convex did not accept your saved login (it may have expired).', `Run \`${LOGIN_COMMAND}\` again, then this command again.`);
  }
  if (!response.ok) {
    const text = await response.text();
    let data: { code?: string; message?: string } = {};
    try {
      data = JSON.parse(text) as typeof data;
    } catch {
      // Not JSON: the status says enough.
    }
    throw Object.assign(
      new ConvexApiError(response.status, data.code, `Convex answered ${response.status} when asked ${what}: ${data.code ? `${data.code}: ` : ''}${data.message ?? text.slice(0, 300)}`),
      { fix: 'Convex had a problem: run the same command again in a moment (it resumes at this step).' },
    );
  }
  return (await response.json()) as T;
}

export interface WorkosTeamHealth {
  teamProvisioned: boolean;
  teamInfo?: { id: string; name: string; productionState: 'active' | 'inactive' | 'suspended' | 'deleting' } | null;
}

/** `GET teams/{id}/workos_team_health`: whether the Convex team has a WorkOS team. */
export function workosTeamHealth(teamId: number, timeoutMs: number): Promise<WorkosTeamHealth> {
  return call('whether your Convex team has a WorkOS team', 'GET', `teams/${teamId}/workos_team_health`, undefined, timeoutMs);
}

/** `POST workos/has_associated_workos_team`: the deployment's Convex team, and whether it has a WorkOS team. */
export function hasAssociatedWorkosTeam(deploymentName: string, timeoutMs: number) {
  return call<{ hasAssociatedWorkosTeam: boolean; teamId: number; adminEmail?: string | null; disabled?: boolean }>(
    'whether the deployment can have a WorkOS environment',
    'POST',
    'workos/has_associated_workos_team',
    { deploymentName },
    timeoutMs,
  );
}

/** `GET workos/available_workos_team_emails`: the account's verified emails that may create a WorkOS team. */
export function availableWorkosTeamEmails(timeoutMs: number) {
  return call<{ availableEmails: string[]; usedEmails: string[] }>('for your verified emails', 'GET', 'workos/available_workos_team_emails', undefined, timeoutMs);
}

/** `POST workos/provision_associated_workos_team`: a new WorkOS team for the Convex team, administered by `email`. */
export function provisionWorkosTeam(teamId: number, email: string, timeoutMs: number) {
  return call<{ workosTeamId: string; workosTeamName: string; adminEmail: string }>(
    'to create a WorkOS team',
    'POST',
    'workos/provision_associated_workos_team',
    { teamId, email },
    timeoutMs,
  );
}

export interface ProvisionedEnvironment {
  environmentId: string;
  environmentName: string;
  clientId: string;
  apiKey: string;
  newlyProvisioned: boolean;
}

/**
 * `POST workos/get_or_provision_workos_environment`, with the body the convex CLI sends: the
 * deployment's environment, made on the first call and the same one after. The key is registered as a
 * secret before anything can print it.
 */
export async function getOrProvisionEnvironment(deploymentName: string, timeoutMs: number): Promise<ProvisionedEnvironment> {
  const env = await call<ProvisionedEnvironment>('for the deployment\'s WorkOS environment', 'POST', 'workos/get_or_provision_workos_environment', {
    deploymentName,
    environmentType: 'nonproduction',
  }, timeoutMs);
  addSecret(env.apiKey);
  return env;
}

/** `GET deployments/{name}/workos_environment_health`: the deployment's environment, or undefined if it has none. */
export async function workosEnvironmentHealth(deploymentName: string, timeoutMs: number): Promise<{ id: string; name: string; clientId: string } | undefined> {
  try {
    return await call('for the WorkOS environment\'s health', 'GET', `deployments/${deploymentName}/workos_environment_health`, undefined, timeoutMs);
  } catch (error) {
    if (error instanceof ConvexApiError && error.code === 'WorkOSEnvironmentNotProvisioned') return undefined;
    throw error;
  }
}
