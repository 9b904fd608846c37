/** The deployment's environment variables, as POST /api/update_environment_variables changes them. */
import { HttpError, isRecord } from './errors.js';
import type { Deployment } from './types.js';

const ENV_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_ENV_VALUE_BYTES = 8 * 1024;
const MAX_ENV_VARS = 512;

/** Applies `{name, value}` changes (null value = delete) all or nothing, with the limits the real service has. */
export function applyEnvChanges(d: Deployment, changes: unknown): void {
  if (!Array.isArray(changes)) throw new HttpError(400, 'BadRequest', 'Expected {"changes": [...]}');
  const next = { ...d.env };
  for (const c of changes as unknown[]) {
    if (!isRecord(c) || typeof c.name !== 'string') throw new HttpError(400, 'BadRequest', 'Each change needs a name');
    const { name, value } = c;
    if (!ENV_NAME_RE.test(name) || name.length > 256) {
      throw new HttpError(400, 'InvalidEnvironmentVariableName', `Environment variable name ${JSON.stringify(name)} is invalid: names must match ${ENV_NAME_RE.source} and be at most 256 characters.`);
    }
    if (value === null || value === undefined) {
      delete next[name];
      continue;
    }
    if (typeof value !== 'string') throw new HttpError(400, 'BadRequest', `Value of ${name} must be a string`);
    if (Buffer.byteLength(value) > MAX_ENV_VALUE_BYTES) {
      throw new HttpError(400, 'EnvironmentVariableValueTooLarge', `Environment variable ${name} value is too large (max 8KiB).`);
    }
    next[name] = value;
  }
  if (Object.keys(next).length > MAX_ENV_VARS) throw new HttpError(400, 'TooManyEnvironmentVariables', `Too many environment variables (max ${MAX_ENV_VARS}).`);
  d.env = next;
}
