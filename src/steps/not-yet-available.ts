import type { Step } from '../context.js';

/** A step of the pipeline that is planned but not built yet: it shows in the plan and is skipped. */
export function notYetAvailable(id: string, title: string, what: string): Step {
  return {
    id,
    title,
    skipReason: () => 'not yet available',
    describe: () => what,
    run: async () => {},
  };
}
