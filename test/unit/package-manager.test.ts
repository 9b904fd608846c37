/**
 * Which manager launched us and how to speak to it. The user agents are the ones each manager really
 * set for a script (`node -p process.env.npm_config_user_agent` run by npm 11, pnpm 12, yarn 1.22,
 * yarn 4.18 through corepack and bun 1.4); the e2e file asks them again of the installed managers.
 */
import { describe, expect, it } from 'vitest';
import {
  agentVersion,
  cleanInstallArgs,
  detectPackageManager,
  execCommand,
  execText,
  installArgs,
  isBerry,
  pnpmBuildSettings,
  runScript,
} from '../../src/systems/package-manager.js';

const agents = {
  npm: 'npm/11.19.1 node/v22.23.5 linux x64 workspaces/false',
  pnpm: 'pnpm/12.21.0 npm/? node/? linux x64',
  yarn1: 'yarn/1.22.22 npm/? node/v22.23.5 linux x64',
  yarn4: 'yarn/4.18.1 npm/? node/v22.23.5 linux x64',
  bun: 'bun/1.4.5 npm/? node/v26.3.0 linux x64',
};

describe('detectPackageManager', () => {
  it('picks the manager named by the user agent', () => {
    expect(detectPackageManager({ npm_config_user_agent: agents.npm })).toBe('npm');
    expect(detectPackageManager({ npm_config_user_agent: agents.pnpm })).toBe('pnpm');
    expect(detectPackageManager({ npm_config_user_agent: agents.yarn1 })).toBe('yarn');
    expect(detectPackageManager({ npm_config_user_agent: agents.yarn4 })).toBe('yarn');
    expect(detectPackageManager({ npm_config_user_agent: agents.bun })).toBe('bun');
    expect(detectPackageManager({})).toBe('npm');
  });

  it('tells yarn 1 from yarn 4 by the version in the user agent', () => {
    expect(agentVersion('yarn', { npm_config_user_agent: agents.yarn1 })).toBe('1.22.22');
    expect(agentVersion('yarn', { npm_config_user_agent: agents.yarn4 })).toBe('4.18.1');
    expect(agentVersion('yarn', { npm_config_user_agent: agents.pnpm })).toBeUndefined();
    expect(isBerry('yarn', '1.22.22')).toBe(false);
    expect(isBerry('yarn', '4.18.1')).toBe(true);
    expect(isBerry('pnpm', '12.21.0')).toBe(false);
  });
});

describe('commands per manager', () => {
  it('runs one-off packages the way each manager can', () => {
    expect(execCommand('npm')).toEqual(['npx', ['--yes']]);
    expect(execCommand('pnpm')).toEqual(['pnpm', ['dlx']]);
    expect(execCommand('yarn', false)).toEqual(['npx', ['--yes']]);
    expect(execCommand('yarn', true)).toEqual(['yarn', ['dlx']]);
    expect(execCommand('bun')).toEqual(['bunx', []]);
    expect(execText('yarn', true)).toBe('yarn dlx');
    expect(execText('yarn', false)).toBe('npx');
  });

  it('lets yarn 2+ write the new lockfile under CI (its installs are immutable there)', () => {
    expect(installArgs('yarn', true)).toEqual(['install', '--no-immutable']);
    expect(installArgs('yarn', false)).toEqual(['install']);
    expect(installArgs('pnpm')).toEqual(['install']);
    expect(installArgs('npm')).toEqual(['install', '--no-audit', '--no-fund']);
  });

  it("installs a shipped lockfile with each manager's frozen mode, which refuses to change it", () => {
    expect(cleanInstallArgs('npm')).toEqual(['ci', '--no-audit', '--no-fund']);
    expect(cleanInstallArgs('pnpm')).toEqual(['install', '--frozen-lockfile']);
    expect(cleanInstallArgs('yarn', false)).toEqual(['install', '--frozen-lockfile']);
    expect(cleanInstallArgs('yarn', true)).toEqual(['install', '--immutable']);
    expect(cleanInstallArgs('bun')).toEqual(['install', '--frozen-lockfile']);
  });

  it("allows build scripts in the settings the installed pnpm reads", () => {
    expect(pnpmBuildSettings('12.21.0')).toBe('allowBuilds:\n  esbuild: true\n  sharp: false\n  unrs-resolver: false\n');
    expect(pnpmBuildSettings('10.33.0')).toBe(
      'onlyBuiltDependencies:\n  - esbuild\nignoredBuiltDependencies:\n  - sharp\n  - unrs-resolver\n',
    );
    expect(pnpmBuildSettings('9.15.0')).toBeUndefined();
  });

  it('runs scripts with `bun run`, since `bun test` is Bun’s own test runner', () => {
    expect(runScript('npm')).toBe('npm run');
    expect(runScript('pnpm')).toBe('pnpm');
    expect(runScript('yarn')).toBe('yarn');
    expect(runScript('bun')).toBe('bun run');
  });
});
