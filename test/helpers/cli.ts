/** Spawns the real CLI (`node bin/create-authkit-convex.js`) the way a user's shell would. */
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(repoRoot, 'bin/create-authkit-convex.js');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  all: string;
}

export async function runCli(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number; cli?: string },
): Promise<CliRun> {
  const result = await execa(process.execPath, [opts.cli ?? cliPath, ...args], {
    cwd: opts.cwd,
    env: { CI: 'true', npm_config_prefer_offline: 'true', ...opts.env },
    extendEnv: true,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: opts.timeoutMs ?? 60_000,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    all: String(result.all),
  };
}

/** Keys of the right shape for tests that never reach WorkOS. */
export const fakeKeys = {
  WORKOS_API_KEY: 'sk_test_unitTestKey0123456789',
  WORKOS_CLIENT_ID: 'client_01UNITTEST0000',
};
