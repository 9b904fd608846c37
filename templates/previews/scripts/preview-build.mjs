#!/usr/bin/env node
/**
 * The build of a preview deployment (a Vercel or Netlify branch deploy), run by
 * `npm run build:preview`, i.e. `convex deploy --cmd 'node scripts/preview-build.mjs -- next build'`.
 *
 * `convex deploy` with a preview deploy key (CONVEX_DEPLOY_KEY) has already created (or reused) this
 * branch's Convex preview deployment, which starts with the project's default variables for previews
 * (WORKOS_CLIENT_ID, WORKOS_API_KEY), and runs this script before it pushes the functions, with
 * NEXT_PUBLIC_CONVEX_URL and NEXT_PUBLIC_CONVEX_SITE_URL pointing at that deployment. This script:
 *
 * 1. registers this branch's redirect URIs and CORS origin with WorkOS (its non-production environment),
 * 2. gives the preview deployment its own webhook endpoint (`<site URL>/workos/webhook`) and sets that
 *    endpoint's secret as WORKOS_WEBHOOK_SECRET on the deployment (through stdin, never argv),
 * 3. removes the endpoints of this project's preview deployments that no longer exist,
 * 4. runs the app's build (the arguments after `--`) with NEXT_PUBLIC_WORKOS_REDIRECT_URI set to this
 *    branch's URL, so sign-in comes back to the preview itself.
 *
 * Outside a preview build (no preview deploy key, e.g. production) it only runs the app's build.
 *
 * Which endpoints are ours: the endpoint URL carries `convex_project=<team>:<project>` and
 * `convex_preview=<preview name>`. One is removed when it names this project and either this same
 * preview name at another URL (Convex keeps one deployment per name: that one was replaced), or a
 * preview name Convex no longer has (asked with this build's deploy key; only a "404" answer counts,
 * any other failure keeps the endpoint). Endpoints without these marks (your dev and production ones,
 * other apps') are never touched.
 *
 * Needs in the host's preview environment: CONVEX_DEPLOY_KEY (a preview deploy key), WORKOS_API_KEY
 * and WORKOS_CLIENT_ID (a non-production WorkOS environment), WORKOS_COOKIE_PASSWORD.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { WorkOS } from "@workos-inc/node";

const WEBHOOK_PATH = "/workos/webhook";
// The events convex/workos/sync.ts handles (the same as the dev endpoint's).
const WEBHOOK_EVENTS = [
  "user.created",
  "user.updated",
  "user.deleted",
  "organization.created",
  "organization.updated",
  "organization.deleted",
  "organization_membership.created",
  "organization_membership.updated",
  "organization_membership.deleted",
];

const buildCommand = process.argv.slice(process.argv.indexOf("--") + 1);
if (!process.argv.includes("--") || buildCommand.length === 0) {
  fail("Usage: node scripts/preview-build.mjs -- <build command>, e.g. -- next build");
}

const deployKey = process.env.CONVEX_DEPLOY_KEY ?? "";
if (deployKey.startsWith("preview:")) {
  await setUpPreview();
} else {
  console.log("preview-build: not a preview build (no preview deploy key): building only.");
}
build();

async function setUpPreview() {
  const name = previewName();
  const appUrl = previewAppUrl();
  const siteUrl = process.env.NEXT_PUBLIC_CONVEX_SITE_URL;
  if (!siteUrl) fail("NEXT_PUBLIC_CONVEX_SITE_URL is not set: run this script through `convex deploy --cmd`.");
  // The deploy key starts with `preview:<team>:<project>|`.
  const project = deployKey.split("|")[0].split(":").slice(1).join(":");
  const apiKey = process.env.WORKOS_API_KEY;
  if (!apiKey || !process.env.WORKOS_CLIENT_ID) fail("Set WORKOS_API_KEY and WORKOS_CLIENT_ID in the host's preview environment.");
  if (apiKey.startsWith("sk_live_")) fail("WORKOS_API_KEY is a production key: previews must use a non-production WorkOS environment.");

  const workos = createWorkOS(apiKey);
  process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI = `${appUrl}/callback`;
  await registerRedirects(workos, appUrl);
  console.log(`preview-build: WorkOS accepts ${appUrl}/callback for preview "${name}".`);

  // Without the webhook sync (no convex/http.ts), there is no endpoint to make.
  if (!existsSync(path.join("convex", "http.ts"))) return;
  const url = new URL(WEBHOOK_PATH, siteUrl);
  url.searchParams.set("convex_project", project);
  url.searchParams.set("convex_preview", name);
  const endpointUrl = url.href;
  const endpoints = await (await workos.webhooks.listWebhookEndpoints({ limit: 100 })).autoPagination();

  const mine = endpoints.filter((e) => e.endpointUrl === endpointUrl);
  const secretSet = convex(["env", "get", "WORKOS_WEBHOOK_SECRET", "--preview-name", name]).stdout.trim() !== "";
  if (mine.length === 1 && secretSet) {
    await workos.webhooks.updateWebhookEndpoint({ id: mine[0].id, events: WEBHOOK_EVENTS, status: "enabled" });
    console.log("preview-build: webhook endpoint kept (the deployment has its secret).");
  } else {
    // WorkOS shows a secret when it creates the endpoint: a new one whenever the deployment lacks it.
    for (const e of mine) await workos.webhooks.deleteWebhookEndpoint({ id: e.id });
    const created = await workos.webhooks.createWebhookEndpoint({ endpointUrl, events: WEBHOOK_EVENTS });
    const set = convex(["env", "set", "WORKOS_WEBHOOK_SECRET", "--preview-name", name], created.secret);
    if (set.status !== 0) fail(`Could not set WORKOS_WEBHOOK_SECRET on preview "${name}":\n${set.stderr}`);
    console.log("preview-build: webhook endpoint created; its secret is set on the preview deployment.");
  }

  for (const e of endpoints) {
    if (e.endpointUrl === endpointUrl || !isGone(e.endpointUrl, project, name)) continue;
    await workos.webhooks.deleteWebhookEndpoint({ id: e.id });
    console.log(`preview-build: removed the webhook endpoint of a deleted preview deployment (${e.endpointUrl}).`);
  }
}

/** The name `convex deploy` gives this preview (its own rule), unless CONVEX_PREVIEW_NAME says. */
function previewName() {
  const env = process.env;
  let name = env.CONVEX_PREVIEW_NAME;
  if (!name && env.VERCEL) name = env.VERCEL_GIT_COMMIT_REF;
  else if (!name && env.NETLIFY) name = env.HEAD;
  else if (!name && (env.CF_PAGES || env.WORKERS_CI)) name = env.CF_PAGES_BRANCH ?? env.WORKERS_CI_BRANCH;
  else if (!name && env.CI) name = env.GITHUB_HEAD_REF ?? env.CI_COMMIT_REF_NAME;
  if (!name) fail("Cannot tell this preview's name: set CONVEX_PREVIEW_NAME to the name given to `convex deploy`.");
  return name;
}

/** This branch's public URL: stable across its deploys (Vercel's branch URL), so one redirect URI serves them. */
function previewAppUrl() {
  const env = process.env;
  const url =
    env.PREVIEW_APP_URL ??
    (env.VERCEL_BRANCH_URL ? `https://${env.VERCEL_BRANCH_URL}` : env.VERCEL_URL ? `https://${env.VERCEL_URL}` : undefined) ??
    env.DEPLOY_PRIME_URL;
  if (!url) fail("Cannot tell this preview's URL: set PREVIEW_APP_URL (e.g. https://my-branch.example.com).");
  return url.replace(/\/+$/, "");
}

/** The WorkOS API; WORKOS_API_HOSTNAME / _PORT / _HTTPS point it elsewhere (as for authkit-nextjs). */
function createWorkOS(apiKey) {
  const port = process.env.WORKOS_API_PORT;
  return new WorkOS(apiKey, {
    clientId: process.env.WORKOS_CLIENT_ID,
    apiHostname: process.env.WORKOS_API_HOSTNAME || undefined,
    port: port ? Number(port) : undefined,
    https: process.env.WORKOS_API_HTTPS ? process.env.WORKOS_API_HTTPS === "true" : undefined,
  });
}

/** Redirect URIs (the callback and the OAuth callback) and the CORS origin; "already there" is fine. */
async function registerRedirects(workos, appUrl) {
  for (const [route, body] of [
    ["/user_management/redirect_uris", { uri: `${appUrl}/callback` }],
    ["/user_management/redirect_uris", { uri: `${appUrl}/callback/oauth` }],
    ["/user_management/cors_origins", { origin: appUrl }],
  ]) {
    try {
      await workos.post(route, body);
    } catch (error) {
      const status = error?.status;
      const text = `${error?.message ?? ""} ${error?.code ?? ""}`;
      if (status === 409 || (status === 422 && /already|exist|duplicate/i.test(text))) continue;
      throw error;
    }
  }
}

/** Whether an endpoint belongs to a preview deployment of this project that no longer exists. */
function isGone(endpointUrl, project, name) {
  let url;
  try {
    url = new URL(endpointUrl);
  } catch {
    return false;
  }
  const preview = url.searchParams.get("convex_preview");
  if (url.pathname !== WEBHOOK_PATH || url.searchParams.get("convex_project") !== project || !preview) return false;
  // This name at another URL: Convex replaced that deployment with this build's.
  if (preview === name) return true;
  const check = convex(["env", "get", "WORKOS_CLIENT_ID", "--preview-name", preview]);
  if (check.status === 0) return false;
  const gone = /\b404\b/.test(check.stderr + check.stdout);
  if (!gone) console.warn(`preview-build: kept ${endpointUrl}: could not tell whether preview "${preview}" exists.`);
  return gone;
}

/** The project's own convex CLI; its output is captured (it may hold a secret), never printed. */
function convex(args, input = "") {
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve("convex/package.json")), "bin", "main.js");
  const result = spawnSync(process.execPath, [bin, ...args], { input, encoding: "utf8" });
  if (result.error) fail(`Could not run the convex CLI: ${result.error.message}`);
  return result;
}

function build() {
  const [command, ...args] = buildCommand;
  const result = spawnSync(command, args, { stdio: "inherit", shell: process.platform === "win32" });
  process.exit(result.status ?? 1);
}

function fail(message) {
  console.error(`preview-build: ${message}`);
  process.exit(1);
}
