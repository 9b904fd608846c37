/** What every step receives: the resolved options and what earlier steps found out. */
import type { FileTree } from './files/tree.js';
import type { Manifest } from './manifest.js';
import type { Asker } from './options/ask.js';
import type { Options, PackageManager } from './options/schema.js';
import type { Reporter } from './ui/reporter.js';

export interface ConvexDeployment {
  /** e.g. `dev:happy-otter-123`, as the convex CLI writes CONVEX_DEPLOYMENT. */
  deployment?: string;
  url: string;
  siteUrl: string;
}

export interface Context {
  options: Options;
  cliVersion: string;
  /** Absolute path of the project. */
  projectDir: string;
  pm: PackageManager;
  reporter: Reporter;
  manifest: Manifest;
  interactive: boolean;
  /** Prompts (interactive runs only: otherwise it refuses). */
  ask: Asker;
  /** Files rendered by steps and not yet written (see files/tree.ts). */
  files: FileTree;
  /** The Convex team slug to create the project in (cloud deployments). */
  convexTeam?: string;
  /** Filled by the Convex steps. */
  convex?: ConvexDeployment;
  /** The deployment's variables as last read (values included: memory only), to save a second read. */
  deploymentEnv?: Record<string, string>;
  /** The webhook signing secret WorkOS returned; kept in memory only, set on the deployment. */
  webhookSecret?: string;
  /** What only the WorkOS dashboard can do, told to the user at the end. */
  dashboardSteps?: string[];
  /** Titles of the steps running now, in order (for Ctrl-C). */
  runningSteps: string[];
  /** How long an outside service may take to answer (--timeout), in milliseconds. */
  timeoutMs: number;
  /** What the production steps (--add-production) learn; secrets in memory only. */
  production?: {
    deployment?: { name: string; url: string; siteUrl: string };
    /** The production deployment's variables as last read. */
    deploymentEnv?: Record<string, string>;
    deployKey?: string;
    /** What the host needs (values included: memory only), as written to .env.production.local. */
    hostEnv?: Record<string, string>;
  };
  /** The WorkOS API client, once connected. */
  workos?: import('./systems/workos.js').WorkOSApi;
}

/**
 * What a step returns: nothing, a short detail for the UI (e.g. "12 files"), or that detail with the
 * ids of steps whose earlier completion its changes made stale (the pipeline runs them again).
 */
export type StepResult = string | void | { detail?: string; invalidates?: string[] };

export interface Step {
  id: string;
  title: string;
  /** Runs on every run, even when an earlier run completed it (cheap checks). */
  always?: boolean;
  /** Starts, and lets the next steps run meanwhile (the install, while Convex and WorkOS are set up). */
  background?: boolean;
  /** Background steps that must have finished before this one starts. */
  waitsFor?: string[];
  /** Changes nothing (it prints): runs every time and is never recorded, so the manifest stays as committed. */
  printsOnly?: boolean;
  /**
   * Commits the project: its completion is recorded before it runs (and withdrawn if it fails), so
   * the commit holds the final manifest and the new project's `git status` is clean.
   */
  commitsProject?: boolean;
  /**
   * Whether the step belongs to this kind of run at all (a production step to a production run, a dev
   * step to a dev run): one that does not is neither run nor shown. Default: it does.
   */
  appliesTo?(ctx: Context): boolean;
  /** A reason not to run now (shown as "skipped: …"), or undefined to run. */
  skipReason?(ctx: Context): string | undefined;
  /** For --dry-run: one line on what the step would do. */
  describe(ctx: Context): string;
  run(ctx: Context): Promise<StepResult>;
}
