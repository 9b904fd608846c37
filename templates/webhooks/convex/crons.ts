import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

// Scheduled jobs of the WorkOS sync (convex/workos/).
const crons = cronJobs();

// Forget the ids of WorkOS events applied more than 30 days ago (they are kept to ignore a
// second delivery of the same event).
crons.daily("forget old WorkOS event ids", { hourUTC: 4, minuteUTC: 0 }, internal.workos.sync.pruneEventIds, {});

export default crons;
