/**
 * The project manifest (`authkit-convex.json` at the project root) remembers what a run did, so a
 * failed run resumes where it stopped and reruns add features without touching the user's edits.
 * It never holds a secret.
 */
import path from 'node:path';
import fs from 'fs-extra';
import { z } from 'zod';
import { writeFileAtomic } from './files/tree.js';

export const MANIFEST_FILE = 'authkit-convex.json';

export const manifestSchema = z.object({
  cliVersion: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Options of the run that created (or last changed) the project, minus secrets and per-run switches. */
  options: z.record(z.string(), z.unknown()),
  /** Template features rendered into the project, e.g. ["base", "webhooks"]. */
  features: z.array(z.string()),
  /** Steps that finished, by id, with when. */
  completedSteps: z.record(z.string(), z.string()),
  /** sha256 of each file as we last wrote it, by project-relative path. */
  files: z.record(z.string(), z.string()),
  /** Names of the Convex deployment variables we set (ours to update on a rerun). */
  deploymentEnv: z.array(z.string()).default([]),
  /** The Convex project this run created, once the CLI said so: a rerun reuses it, never makes a second. */
  convexProject: z.object({ team: z.string(), slug: z.string() }).optional(),
  /** Preview deployments (--add-previews): the client ID and the names set as the project's preview defaults. */
  previews: z.object({ workosClientId: z.string(), defaults: z.array(z.string()) }).optional(),
  /** The WorkOS environment Convex made for the dev deployment (--workos-managed); never its key. */
  workosEnvironment: z.object({ id: z.string(), name: z.string() }).optional(),
  /** What --add-production set up (never a secret): a rerun reuses it and creates nothing new. */
  production: z
    .object({
      domain: z.string(),
      clientId: z.string().optional(),
      deployment: z.object({ name: z.string(), url: z.string(), siteUrl: z.string() }).optional(),
      webhookEndpointId: z.string().optional(),
      /** The production WorkOS environment's custom authentication domain (--workos-auth-domain), if any. */
      authDomain: z.string().optional(),
      /** Names of the production deployment's variables we set. */
      deploymentEnv: z.array(z.string()).default([]),
    })
    .optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function newManifest(cliVersion: string, options: Record<string, unknown>): Manifest {
  const now = new Date().toISOString();
  return { cliVersion, createdAt: now, updatedAt: now, options, features: [], completedSteps: {}, files: {}, deploymentEnv: [] };
}

export async function readManifest(projectDir: string): Promise<Manifest | undefined> {
  const file = path.join(projectDir, MANIFEST_FILE);
  if (!(await fs.pathExists(file))) return undefined;
  const parsed = manifestSchema.safeParse(await fs.readJson(file).catch(() => undefined));
  return parsed.success ? parsed.data : undefined;
}

export async function saveManifest(projectDir: string, manifest: Manifest): Promise<void> {
  manifest.updatedAt = new Date().toISOString();
  await writeFileAtomic(path.join(projectDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}
