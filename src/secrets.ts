/** The secrets of this run: registered once, redacted from everything we print, log or record. */
const secrets = new Set<string>();

/** Register a value that must never be printed, logged or put in argv. */
export function addSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

/**
 * Variable names that hold secrets by convention (WORKOS_API_KEY, WORKOS_WEBHOOK_SECRET,
 * WORKOS_COOKIE_PASSWORD, CONVEX_SELF_HOSTED_ADMIN_KEY, CONVEX_OVERRIDE_ACCESS_TOKEN, …). Plain values
 * such as URLs and the client ID are not registered: redacting them would garble messages naming them.
 */
const SECRET_NAME = /(^|_)(KEY|SECRET|TOKEN|PASSWORD|PASSWD|PASS|PRIVATE|CREDENTIALS?)(_|$)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Register every value of `vars` whose name says it is a secret (a .env file, a deployment's variables). */
export function addSecretsFromEnv(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(vars)) if (isSecretName(name)) addSecret(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

/** The first registered secret contained in `text`, if any. */
export function findSecret(text: string): boolean {
  for (const secret of secrets) if (text.includes(secret)) return true;
  return false;
}
