/**
 * What the generated CI workflow (`templates/base/.github/workflows/ci.yml.hbs`) needs to know about
 * the package manager: how to get it on the runner, and its install that refuses to change the lockfile.
 */
import type { PackageManager } from '../options/schema.js';
import { isBerry, managerVersion } from '../systems/package-manager.js';

export interface CiData {
  /** A workflow step (YAML, indented for the steps list) that puts the manager on the runner, or ''. */
  setup: string;
  /** The lockfile-exact install. */
  install: string;
}

export function ciData(pm: PackageManager, version = managerVersion(pm)): CiData {
  switch (pm) {
    case 'npm':
      return { setup: '', install: 'npm ci' };
    case 'pnpm':
      return {
        setup: `      - uses: pnpm/action-setup@v4\n        with:\n          version: ${version ?? 'latest'}\n`,
        install: 'pnpm install --frozen-lockfile',
      };
    case 'yarn':
      // package.json pins the yarn version (`packageManager`), which corepack runs.
      return isBerry(pm, version)
        ? { setup: '      - name: corepack enable\n        shell: bash\n        run: corepack enable\n', install: 'yarn install --immutable' }
        : { setup: '', install: 'yarn install --frozen-lockfile' };
    case 'bun':
      return { setup: '      - uses: oven-sh/setup-bun@v2\n', install: 'bun install --frozen-lockfile' };
  }
}
