/**
 * A push (`convex dev --once` / `deploy`): the deploy2 steps the CLI walks through. The CLI sends the
 * bodies brotli-compressed (http.ts's parseBody decodes them). A push of an auth.config that reads an
 * environment variable not set (and does not catch the error) fails as the real service does. Only finish_push records the push.
 */
import { evaluateAuthConfigSource, MissingEnvironmentVariable } from './auth-config.js';
import { componentTree } from './components.js';
import type { ConvexContext, DeploymentRuntime } from './context.js';
import { HttpError, isRecord } from './errors.js';

const SERVER_VERSION = '1.49.0';

/** The first unset variable an auth.config.js reads without catching the error, if any. */
function missingVariable(source: string, env: Record<string, string>): string | undefined {
  try {
    evaluateAuthConfigSource(source, env);
  } catch (error) {
    if (error instanceof MissingEnvironmentVariable) return error.variable;
    // Any other problem shows when a token is checked (sync-auth.ts), as before.
  }
  return undefined;
}

/** The modules a push carries (changed modules, schema, app definition). */
function modulesOf(body: unknown): Array<{ path: string; source: string }> {
  if (!isRecord(body) || !isRecord(body.appDefinition)) return [];
  const app = body.appDefinition;
  const out: Array<{ path: string; source: string }> = [];
  const add = (m: unknown): void => {
    if (isRecord(m) && typeof m.path === 'string' && typeof m.source === 'string') out.push({ path: m.path, source: m.source });
  };
  if (Array.isArray(app.changedModules)) app.changedModules.forEach(add);
  add(app.schema);
  add(app.definition);
  return out;
}

/** The answer to a push step, or undefined when the path is not one. */
export function pushRoute(ctx: ConvexContext, rt: DeploymentRuntime, method: string, pathname: string, body: unknown): [number, unknown] | undefined {
  const d = rt.deployment;
  if (method === 'POST' && pathname === '/api/get_config_hashes') {
    // No module hashes: the CLI then uploads every module in full on each push.
    return [200, { config: { functions: 'convex/', authInfo: [] }, moduleHashes: [], nodeDependencies: [], udfServerVersion: SERVER_VERSION }];
  }
  if (method === 'POST' && pathname === '/api/deploy2/evaluate_schema') {
    return [200, { componentSchemaEvaluations: {}, newComponentDefinitions: [] }];
  }
  if (method === 'POST' && (pathname === '/api/deploy2/start_push' || pathname === '/api/deploy2/evaluate_push')) {
    const modules = modulesOf(body);
    const authConfig = modules.find((m) => /^auth\.config\.[cm]?[jt]s$/.test(m.path));
    if (authConfig) {
      // Evaluated with the deployment's variables: a read of an unset one that the file does not catch fails.
      const name = missingVariable(authConfig.source, d.env);
      if (name) {
        throw new HttpError(
          400,
          'AuthConfigMissingEnvironmentVariable',
          `Environment variable ${name} is used in auth config file but its value was not set. Go to https://dashboard.convex.dev/d/${d.name}/settings/environment-variables?var=${name} to set it up.`,
        );
      }
    }
    const schemaChange = { allocatedComponentIds: {}, schemaIds: {}, indexDiffs: {} };
    if (pathname === '/api/deploy2/evaluate_push') return [200, { schemaChange }];
    rt.pending = { modules };
    return [
      200,
      {
        environmentVariables: { ...d.env },
        externalDepsId: null,
        componentDefinitionPackages: {},
        appAuth: [],
        // The app and the components its convex.config.ts uses (components.ts).
        ...componentTree(body, { serverVersion: SERVER_VERSION, importPhaseRngSeed: null, importPhaseUnixTimestamp: null }),
        schemaChange,
      },
    ];
  }
  if (method === 'POST' && pathname === '/api/deploy2/wait_for_schema') return [200, { type: 'complete' }];
  if (method === 'POST' && pathname === '/api/deploy2/finish_push') {
    const dryRun = isRecord(body) && body.dryRun === true;
    if (rt.pending && !dryRun) {
      d.pushes.push({ at: ctx.now(), modules: rt.pending.modules });
    }
    rt.pending = null;
    return [200, { authDiff: { added: [], removed: [] }, definitionDiffs: {}, componentDiffs: {} }];
  }
  if (method === 'POST' && pathname === '/api/deploy2/report_push_completed') return [200, {}];
  return undefined;
}
