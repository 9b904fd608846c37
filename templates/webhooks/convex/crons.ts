import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

// Scheduled jobs of the WorkOS sync (convex/workos/).
const crons = cronJobs();

// Apply the WorkOS events the webhook missed, from the Events API (convex/workos/catchUp.ts).
crons.interval("catch up on missed WorkOS events", { minutes: 10 }, internal.workos.catchUp.run, {});

// Forget the ids of WorkOS events applied more than 30 days ago (they are kept to ignore a
// second delivery of the same event).
crons.daily("forget old WorkOS event ids", { hourUTC: 4, minuteUTC: 0 }, internal.workos.sync.pruneEventIds, {});

export default crons;
