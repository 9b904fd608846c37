/** Interactive prompts (@clack/prompts), derived from the option table. Ctrl-C cancels cleanly. */
import { CancelledError } from '../errors.js';
import type { Asker } from './resolve.js';
import { metaOf, type OptionName } from './schema.js';

export async function clackAsker(): Promise<Asker> {
  const p = await import('@clack/prompts');
  return {
    async ask(name: OptionName) {
      const prompt = metaOf(name).prompt;
      if (!prompt) return undefined;
      const answer =
        prompt.kind === 'password'
          ? await p.password({ message: prompt.message, mask: '•' })
          : await p.text({ message: prompt.message, placeholder: prompt.placeholder, defaultValue: prompt.placeholder });
      if (p.isCancel(answer)) {
        p.cancel('Cancelled: nothing was written.');
        throw new CancelledError();
      }
      const value = String(answer ?? '').trim();
      return value === '' ? undefined : value;
    },
  };
}
