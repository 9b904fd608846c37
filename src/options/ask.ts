/**
 * The asker: every interactive prompt (@clack/prompts) goes through it, the option table's own
 * (`ask`) and a step's (`ctx.ask`). Tests give a step a scripted one. Ctrl-C cancels cleanly.
 */
import { CancelledError } from '../errors.js';
import { metaOf, optionTable, type OptionName } from './schema.js';

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

export interface Asker {
  /** Ask for one option; resolves to undefined when the user leaves it empty. `check`: a further rule. */
  ask(name: OptionName, check?: (value: string) => string | undefined): Promise<unknown>;
  text(prompt: { message: string; placeholder?: string; defaultValue?: string; validate?: (value: string | undefined) => string | undefined }): Promise<string>;
  password(prompt: { message: string; validate?: (value: string | undefined) => string | undefined }): Promise<string>;
  confirm(prompt: { message: string; initialValue?: boolean }): Promise<boolean>;
  select<T extends string>(prompt: { message: string; options: Choice<T>[] }): Promise<T>;
}

/** The option table's own check, as a prompt's `validate`: the message under the field, or nothing. */
function validator(name: OptionName) {
  return (value: string | undefined) => {
    const result = optionTable[name]!.schema.safeParse(value ?? '');
    return result.success ? undefined : result.error.issues[0]?.message;
  };
}

/** The terminal's asker; `title` opens the session (clack's intro). */
export async function clackAsker(title?: string): Promise<Asker> {
  const p = await import('@clack/prompts');
  if (title) p.intro(title);
  const answered = <T>(answer: T, message?: string): Exclude<T, symbol> => {
    // One message for a cancel: the CLI's own, printed where the run ends.
    if (p.isCancel(answer)) throw new CancelledError(message);
    return answer as Exclude<T, symbol>;
  };
  const asker: Asker = {
    async ask(name, check) {
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
      const value = String(answered(answer, 'Cancelled: nothing was written.') ?? '').trim();
      return value === '' ? undefined : value;
    },
    text: async (prompt) => answered(await p.text(prompt)),
    password: async (prompt) => answered(await p.password({ mask: '•', ...prompt })),
    confirm: async (prompt) => answered(await p.confirm(prompt)),
    select: async <T extends string>(prompt: { message: string; options: Choice<T>[] }) =>
      answered(await p.select<T>({ message: prompt.message, options: prompt.options as never })) as T,
  };
  return asker;
}

/** For runs nobody watches: a step that asks anyway is a bug, said plainly. */
export const noAsker: Asker = {
  ask: async () => undefined,
  text: refuse,
  password: refuse,
  confirm: refuse,
  select: refuse,
};

async function refuse(): Promise<never> {
  throw new Error('a prompt was asked in a non-interactive run');
}
