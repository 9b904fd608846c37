/** Keeping the shipped lockfiles free of registry addresses, so each user's install uses their own registry. */

/**
 * yarn 1 records `resolved "<registry>/<name>/-/<name>-<version>.tgz#<sha1>"` and fetches exactly that.
 * It resolves a `resolved` path that is not a URL against the configured registry (as it does a
 * package's metadata path), so the path alone is fetched from the user's registry.
 */
export function hostNeutralYarn1(text: string, registries: string[]): string {
  let out = text;
  for (const registry of new Set(registries.map((r) => r.replace(/\/?$/, '/')))) out = out.replaceAll(`resolved "${registry}`, 'resolved "');
  return out;
}

/** Every URL in a lockfile's text, plain or percent-encoded (yarn 2+'s `__archiveUrl=https%3A%2F%2F…`). */
export function registryUrlsIn(text: string): string[] {
  return [...text.matchAll(/[a-z][a-z0-9+.-]*(?::\/\/|%3A%2F%2F)[^\s"',}]+/gi)].map((m) => m[0]);
}
