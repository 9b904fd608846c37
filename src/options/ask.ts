/** Interactive prompts (@clack/prompts), derived from the option table. Ctrl-C cancels cleanly. */
import { CancelledError } from '../errors.js';
import type { Asker } from './resolve.js';
import { metaOf, optionTable, type OptionName } from './schema.js';

/** The option table's own check, as a prompt's `validate`: the message under the field, or nothing. */
function validator(name: OptionName) {
  return (value: string | undefined) => {
    const result = optionTable[name]!.schema.safeParse(value ?? '');
    return result.success ? undefined : result.error.issues[0]?.message;
  };
}

export async function clackAsker(): Promise<Asker> {
  const p = await import('@clack/prompts');
  return {
    async ask(name: OptionName, check?: (value: string) => string | undefined) {
      const prompt = metaOf(name).prompt;
      if (!prompt) return undefined;
      const schemaCheck = validator(name);
      const validate = (v: string | undefined) => schemaCheck(v) ?? check?.(String(v ?? '').trim());
      const answer =
        prompt.kind === 'password'
          ? await p.password({ message: prompt.message, mask: '•', validate })
          : await p.text({
              message: prompt.message,
              placeholder: prompt.placeholder,
              defaultValue: prompt.defaultValue,
              // An empty answer takes the default; otherwise the value must pass.
              validate: (v) => (prompt.defaultValue !== undefined && !v ? undefined : validate(v)),
            });
      // One message for a cancel: the CLI's own, printed where the run ends.
      if (p.isCancel(answer)) throw new CancelledError('Cancelled: nothing was written.');
      const value = String(answer ?? '').trim();
      return value === '' ? undefined : value;
    },
  };
}
