/**
 * What a feature is: everything a project gains with it, in one module (see ./index.ts). The run,
 * rendering, the env steps, WorkOS configuration and doctor read these declarations.
 */
import type { Context } from '../context.js';
import type { Check } from '../doctor/types.js';

/** Where along the auth chain a doctor check belongs; doctor shows the stages in this order. */
export const DOCTOR_STAGES = ['local', 'deployment', 'auth', 'workos', 'versions'] as const;
export type DoctorStage = (typeof DOCTOR_STAGES)[number];

export interface FeatureVar {
  name: string;
  /** `local`: the app's .env.local (what Next.js reads); `deployment`: the Convex deployment's variables. */
  where: 'local' | 'deployment';
  /** Never printed or logged. */
  secret: boolean;
  /** Its value for this run, or undefined to leave it as it is. `current`: its value there now. */
  value(ctx: Context, current: string | undefined): string | undefined;
  /** The user's own value stays (ours is written only where there is none); else ours follows the run's options. */
  keepTheirs?: boolean;
  /** Only when an option gives it (e.g. WORKOS_AUTH_DOMAIN): plans name it only then. */
  optional?: boolean;
}

export interface Feature {
  /** Its name in the manifest, and its template folder (`templates/<id>/`). */
  id: string;
  /** Features render (and list) in this order: a lower number first. */
  order: number;
  /** Its option (`--<id>`, with `--add-<id>` for an existing project); none: always part of a project. */
  option?: { description: string; default: boolean; addDescription: string };
  /** Features it cannot work without (by id): choosing it without them is a usage error. */
  requires?: string[];
  /** Adding it to a project that already has it runs its setup again (a repair), rather than "nothing to do". */
  addAgainRepairs?: boolean;
  /** Pinned dependencies and scripts it adds to package.json. */
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  /** The variables it needs. */
  vars?: FeatureVar[];
  /** The WorkOS configuration it needs (beyond the redirect URI, CORS and homepage every project gets). */
  workos?: { webhookEndpoint?: boolean; /** Events its webhook code handles, beyond the sync's own (WEBHOOK_EVENTS). */ webhookEvents?: string[] };
  /** Its doctor checks by stage (loaded only when doctor runs). */
  doctorChecks?(): Promise<Partial<Record<DoctorStage, Check[]>>>;
  /** Steps that a rerun adding it to a project must run again (their completion is forgotten). */
  rerun: string[];
  /**
   * Options of its own that a run inside a project of ours may change (e.g. `--workos-auth-domain`):
   * such a run updates the project, like `--add-*`, and a changed value runs these steps again.
   */
  settings?: Array<{ option: string; rerun: string[] }>;
}
