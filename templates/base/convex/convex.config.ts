import rateLimiter from "@convex-dev/rate-limiter/convex.config.js";
import { defineApp } from "convex/server";

// The Convex components this app uses. The rate limiter keeps the sign-in throttle's
// counters in this deployment (convex/signInThrottle.ts), shared by every server instance.
const app = defineApp();
app.use(rateLimiter);
export default app;
