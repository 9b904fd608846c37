/**
 * What is wrong with a pasted WorkOS key or ID, in words ("contains a space"), never echoing the value.
 * The option table trims values first, so stray whitespace and newlines from a paste are not errors.
 */
interface Shape {
  what: string;
  prefixes: string[];
  /** Where the user finds the value. */
  where: string;
  /** A value of another kind that users paste here by mistake. */
  confusedWith: { prefix: string; what: string };
  body: RegExp;
}

const shapes = {
  apiKey: {
    what: 'The WorkOS API key',
    prefixes: ['sk_test_', 'sk_live_'],
    where: 'WorkOS dashboard → API Keys',
    confusedWith: { prefix: 'client_', what: 'a client ID' },
    body: /^[A-Za-z0-9_-]{8,}$/,
  },
  clientId: {
    what: 'The WorkOS client ID',
    prefixes: ['client_'],
    where: 'WorkOS dashboard → API Keys → Client ID',
    confusedWith: { prefix: 'sk_', what: 'an API key' },
    body: /^[A-Za-z0-9]{8,}$/,
  },
} satisfies Record<string, Shape>;

export type KeyKind = keyof typeof shapes;

/** undefined when the value has the right shape, else one sentence on what is wrong and where to look. */
export function keyProblem(kind: KeyKind, value: string): string | undefined {
  const s: Shape = shapes[kind];
  const problem = (why: string) => `${s.what} ${why}. Copy it again from ${s.where}.`;
  if (value === '') return problem('is empty');
  if (/\s/.test(value)) return problem(/[\r\n]/.test(value) ? 'contains a line break' : 'contains a space');
  if (/^["'`]|["'`]$/.test(value)) return problem('is wrapped in quotes');
  const prefix = s.prefixes.find((p) => value.startsWith(p));
  if (!prefix) {
    if (value.startsWith(s.confusedWith.prefix)) return problem(`looks like ${s.confusedWith.what}`);
    return problem(`does not start with ${s.prefixes.join(' or ')}`);
  }
  const body = value.slice(prefix.length);
  if (body.length < 8) return problem(`is too short (cut off when copied?)`);
  if (!s.body.test(body)) return problem('contains characters WorkOS never uses in it');
  return undefined;
}
