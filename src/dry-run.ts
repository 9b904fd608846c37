/** --dry-run: the plan, and every file the run would write (as diffs, in a project of ours). */
import type { Context, Step } from './context.js';
import { chosenFeatures } from './features/index.js';
import { renderProject } from './files/render.js';
import { diffAgainstDisk } from './files/tree.js';
import type { DirectoryState } from './options/validate.js';
import { planText } from './pipeline.js';

export async function printDryRun(ctx: Context, steps: Step[], dirState: DirectoryState): Promise<void> {
  const { reporter, projectDir } = ctx;
  reporter.note(`Plan for ${projectDir} (dry run: nothing is changed)`, planText(ctx, steps));
  const { tree } = await renderProject(ctx, chosenFeatures(ctx.options));
  if (dirState === 'ours') {
    const diffs = await diffAgainstDisk(projectDir, tree);
    reporter.note(`Files that would change (${diffs.length})`, diffs.map((d) => d.patch).join('\n') || '(none)');
  } else {
    reporter.note(`Files the run writes (${tree.size})`, [...tree.keys()].sort().join('\n'));
  }
}
