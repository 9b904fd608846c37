import { httpRouter } from "convex/server";
import { WorkOS } from "@workos-inc/node";
import { internal } from "./_generated/api";
import { httpAction } from "./_generated/server";
import { toMembership, toOrganization, toUser } from "./workos/convert";

const http = httpRouter();

/**
 * WorkOS webhook: keeps the users, organizations and memberships tables in sync.
 * Registered in WorkOS as <NEXT_PUBLIC_CONVEX_SITE_URL>/workos/webhook.
 *
 * Answers: 401 bad, missing or stale signature; 400 malformed body; 200 otherwise
 * (including event types this app does not use, so WorkOS does not retry them).
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
      return new Response("Malformed event", { status: 400 });
    }
    if (typeof event?.event !== "string") {
      return new Response("Malformed event", { status: 400 });
    }

    const sync = internal.workos.sync;
    switch (event.event) {
      case "user.created":
      case "user.updated": {
        const user = toUser(event.data);
        if (!user) return malformed(event.event);
        await ctx.runMutation(sync.upsertUser, { user });
        break;
      }
      case "organization.created":
      case "organization.updated": {
        const organization = toOrganization(event.data);
        if (!organization) return malformed(event.event);
        await ctx.runMutation(sync.upsertOrganization, { organization });
        break;
      }
      case "organization_membership.created":
      case "organization_membership.updated": {
        const membership = toMembership(event.data);
        if (!membership) return malformed(event.event);
        await ctx.runMutation(sync.upsertMembership, { membership });
        break;
      }
      case "user.deleted":
      case "organization.deleted":
      case "organization_membership.deleted": {
        const id = (event.data as { id?: unknown } | undefined)?.id;
        if (typeof id !== "string") return malformed(event.event);
        const remove =
          event.event === "user.deleted"
            ? sync.deleteUser
            : event.event === "organization.deleted"
              ? sync.deleteOrganization
              : sync.deleteMembership;
        await ctx.runMutation(remove, { workosId: id });
        break;
      }
      default:
        // Not an event this app syncs: acknowledge it so WorkOS does not retry.
        return new Response("Ignored", { status: 200 });
    }
    return new Response("OK", { status: 200 });
  }),
});

function malformed(eventType: string) {
  return new Response(`Malformed ${eventType} event`, { status: 400 });
}

export default http;
