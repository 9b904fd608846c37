/** Reading the convex CLI's push output: what counts as failed, and the fix it points to. */
import { describe, expect, it } from 'vitest';
import { diagnosePush, pushErrorLines } from '../../src/systems/convex.js';

// What convex 1.49 printed, exiting 0, when start_push answered 401 (seen in the fault matrix).
const refused = `- Preparing Convex functions...

✖ Error: Unable to start push to http://127.0.0.1:43975
✖ Error fetching POST  http://127.0.0.1:43975/api/deploy2/start_push 401 Unauthorized: BadAdminKey: The provided admin key was invalid for this instance
Authenticate with \`npx convex dev\``;
const ready = `- Preparing Convex functions...

✔ 22:07:54 Convex functions ready! (3.28s)`;

describe('push output', () => {
  it('takes ✖ lines as a failed push even when the CLI exits 0', () => {
    expect(pushErrorLines(refused)).toMatch(/^✖ Error: Unable to start push/);
    expect(pushErrorLines(ready)).toBeUndefined();
  });

  it('points a refused admin key at logging in again', () => {
    expect(diagnosePush(refused)).toMatch(/npx convex login/);
  });

  it('names a variable auth.config needs and the command that sets it', () => {
    const fix = diagnosePush('✖ Environment variable WORKOS_CLIENT_ID is used in auth config file but its value was not set.');
    expect(fix).toContain('npx convex env set WORKOS_CLIENT_ID');
  });
});
