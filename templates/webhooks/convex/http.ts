import { httpRouter } from "convex/server";
import { WorkOS } from "@workos-inc/node";
import { internal } from "./_generated/api";
import { httpAction } from "./_generated/server";
import { isSyncedEvent, toChange } from "./workos/convert";

const http = httpRouter();

/**
 * WorkOS webhook: keeps the users, organizations and memberships tables in sync.
 * Registered in WorkOS as <NEXT_PUBLIC_CONVEX_SITE_URL>/workos/webhook.
 *
 * Answers: 401 bad, missing or stale signature; 400 a synced event without the fields it
 * needs; 200 otherwise: applied, a duplicate delivery, an event type this app does not sync
 * (invitations, say), or one whose dates cannot be ordered (logged), so WorkOS does not
 * retry what a retry cannot fix.
 */
http.route({
  path: "/workos/webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const secret = process.env.WORKOS_WEBHOOK_SECRET;
    if (!secret) {
      console.error("WORKOS_WEBHOOK_SECRET is not set on this Convex deployment");
      return new Response("Webhook secret not configured", { status: 500 });
    }
    const sigHeader = request.headers.get("WorkOS-Signature");
    if (!sigHeader) return new Response("Missing WorkOS-Signature", { status: 401 });

    // The signature covers the raw body exactly as sent: verify it before parsing.
    const payload = await request.text();
    const workos = new WorkOS(process.env.WORKOS_API_KEY);
    try {
      // Checks the HMAC and that the timestamp is within the SDK's tolerance (3 minutes).
      await workos.webhooks.verifyHeader({ payload, sigHeader, secret });
    } catch {
      return new Response("Invalid signature", { status: 401 });
    }

    let event;
    try {
      event = await workos.webhooks.constructEvent({ payload, sigHeader, secret });
    } catch {
      // The SDK could not read the body. Only a synced event needs its data: any other is
      // acknowledged (invitation events, say, must never make WorkOS retry).
      const type = eventType(payload);
      if (type !== null && !isSyncedEvent(type)) return new Response("Ignored", { status: 200 });
      return new Response("Malformed event", { status: 400 });
    }
    if (typeof event?.event !== "string" || typeof event.id !== "string") {
      return new Response("Malformed event", { status: 400 });
    }

    const converted = toChange(event);
    if ("malformed" in converted) {
      return new Response(`Malformed ${event.event} event: ${converted.malformed}`, { status: 400 });
    }
    if ("ignore" in converted) {
      // Acknowledged so WorkOS does not retry; logged when it is an event we would sync.
      if (isSyncedEvent(event.event)) {
        console.error(`Ignored WorkOS event ${event.id} (${event.event}): ${converted.ignore}`);
      }
      return new Response("Ignored", { status: 200 });
    }
    const result = await ctx.runMutation(internal.workos.sync.applyEvent, {
      event: { id: event.id, createdAt: event.createdAt },
      change: converted.change,
    });
    return new Response(result === "duplicate" ? "Duplicate" : "OK", { status: 200 });
  }),
});

/** The `event` field of a signed body the SDK could not read, or null. */
function eventType(payload: string): string | null {
  try {
    const type = (JSON.parse(payload) as { event?: unknown } | null)?.event;
    return typeof type === "string" ? type : null;
  } catch {
    return null;
  }
}

export default http;
