import path from 'node:path';
import fs from 'fs-extra';
import { expect, it } from 'vitest';
import { templatesDir } from '../../src/files/render.js';
import { WEBHOOK_EVENTS } from '../../src/systems/workos.js';

it('the webhook endpoint is registered for exactly the events the generated handler syncs', async () => {
  // The handler's list lives in the generated app (its own TypeScript project), so it is read as text.
  const source = await fs.readFile(path.join(templatesDir(), 'webhooks/convex/workos/convert.ts'), 'utf8');
  const list = /export const SYNCED_EVENTS = \[([^\]]*)\] as const/.exec(source)?.[1];
  expect(list, 'SYNCED_EVENTS in convert.ts').toBeDefined();
  const synced = [...list!.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  expect(synced.length).toBeGreaterThan(0);
  expect([...WEBHOOK_EVENTS].sort()).toEqual(synced.sort());
});

it("each preview deployment's endpoint (the preview build script) subscribes to the same events, with or without organizations", async () => {
  // A plain Node script the host runs before the app is built: it keeps its own copy of the list.
  const { default: Handlebars } = await import('handlebars');
  const template = Handlebars.compile(await fs.readFile(path.join(templatesDir(), 'previews/scripts/preview-build.mjs.hbs'), 'utf8'));
  const { extraWebhookEvents } = await import('../../src/features/index.js');
  for (const organizations of [false, true]) {
    const source = template({ features: { organizations } });
    const list = /const WEBHOOK_EVENTS = \[([^\]]*)\];/.exec(source)?.[1];
    expect(list, 'WEBHOOK_EVENTS in preview-build.mjs').toBeDefined();
    const events = [...list!.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(events.sort(), `organizations: ${organizations}`).toEqual([...WEBHOOK_EVENTS, ...extraWebhookEvents({ organizations })].sort());
  }
});

it("an organizations project's endpoint also sends the invitation events its code keeps", async () => {
  const source = await fs.readFile(path.join(templatesDir(), 'organizations/convex/organizations/invitations.ts'), 'utf8');
  const list = /export const INVITATION_EVENTS = \[([^\]]*)\] as const/.exec(source)?.[1];
  expect(list, 'INVITATION_EVENTS in invitations.ts').toBeDefined();
  const handled = [...list!.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const { extraWebhookEvents } = await import('../../src/features/index.js');
  expect(extraWebhookEvents({ organizations: true }).sort()).toEqual(handled.sort());
  expect(extraWebhookEvents({ organizations: false })).toEqual([]);
});
