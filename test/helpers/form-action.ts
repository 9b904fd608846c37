/**
 * Submits a form of a served Next.js page the way a browser without JavaScript does: React renders
 * a server action's form with hidden `$ACTION_…` fields, and Next.js runs the action for a plain
 * multipart POST of them (progressive enhancement). Redirects are not followed.
 */
const decode = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden fields of the form (in `html`) that holds the element with this id. */
export function hiddenFieldsOfForm(html: string, elementId: string): Array<[string, string]> {
  const form = html.split(/<form\b/).slice(1).map((chunk) => chunk.split('</form>')[0]!).find((chunk) => chunk.includes(`id="${elementId}"`));
  if (!form) throw new Error(`no form holds #${elementId}`);
  const fields: Array<[string, string]> = [];
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    if (!/type="hidden"/.test(input)) continue;
    const name = /name="([^"]*)"/.exec(input)?.[1];
    if (name === undefined) continue;
    fields.push([decode(name), decode(/value="([^"]*)"/.exec(input)?.[1] ?? '')]);
  }
  return fields;
}

/** GETs `page`, fills the form holding #elementId with `values`, and POSTs it back to the page. */
export async function submitWithoutJs(base: string, page: string, elementId: string, values: Record<string, string>): Promise<Response> {
  const res = await fetch(base + page);
  const body = new FormData();
  for (const [name, value] of hiddenFieldsOfForm(await res.text(), elementId)) body.append(name, value);
  for (const [name, value] of Object.entries(values)) body.append(name, value);
  // A browser sends its origin with a form POST; Next.js checks it against the host for server actions.
  return fetch(base + page, { method: 'POST', body, redirect: 'manual', headers: { Origin: new URL(base).origin } });
}
