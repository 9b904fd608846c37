/**
 * create-next-app's layout loads Geist from next/font/google, which downloads the font at build time
 * and so fails offline or behind a firewall. The `geist` package ships the same fonts as files.
 */

const GOOGLE_IMPORT = /^import\s*\{([^}]*)\}\s*from\s*["']next\/font\/google["'];?\s*$/m;

/** Swap Geist/Geist_Mono from next/font/google for the local `geist` package. */
export function useLocalGeist(source: string): string {
  const match = GOOGLE_IMPORT.exec(source);
  if (!match) return source;
  const names = match[1]!.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => n !== 'Geist' && n !== 'Geist_Mono');
  if (unknown.length > 0) {
    throw new Error(
      `The layout loads ${unknown.join(', ')} from next/font/google, which cannot build offline; ` +
        'replace it with next/font/local or the geist package.',
    );
  }
  let out = source.replace(
    GOOGLE_IMPORT,
    [
      names.includes('Geist') ? 'import { GeistSans } from "geist/font/sans";' : '',
      names.includes('Geist_Mono') ? 'import { GeistMono } from "geist/font/mono";' : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  // Drop the `const x = Geist({...});` loaders and point their uses at the local fonts.
  for (const [loader, local] of [
    ['Geist', 'GeistSans'],
    ['Geist_Mono', 'GeistMono'],
  ] as const) {
    const decl = new RegExp(`const\\s+(\\w+)\\s*=\\s*${loader}\\(\\{[\\s\\S]*?\\}\\);\\s*\\n`, 'm');
    const found = decl.exec(out);
    if (!found) continue;
    out = out.replace(decl, '');
    out = out.replace(new RegExp(`\\b${found[1]}\\.`, 'g'), `${local}.`);
  }
  return out;
}

export function usesGoogleFonts(source: string): boolean {
  return /["']next\/font\/google["']/.test(source);
}
