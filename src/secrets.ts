/** The secrets of this run: registered once, redacted from everything we print, log or record. */
const secrets = new Set<string>();

/** Register a value that must never be printed, logged or put in argv. */
export function addSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
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
