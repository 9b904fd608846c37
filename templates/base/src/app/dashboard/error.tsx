"use client";

import { ConvexError } from "convex/values";
import { Button } from "@/components/ui/button";
import { signInAgain } from "./sign-in-again";

// Shown when something on the dashboard throws. Errors the backend throws on purpose
// (ConvexError, e.g. "You must be signed in to do this.") keep their message; any other
// error is described generically.
export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  const data = error instanceof ConvexError ? (error.data as { message?: unknown }) : null;
  const message =
    typeof data?.message === "string" ? data.message : "Something went wrong loading this page.";
  return (
    <main className="flex flex-1 flex-col items-center justify-center gap-4 p-6 text-center">
      <p role="alert">{message}</p>
      <div className="flex gap-2">
        <Button onClick={() => retry()}>Try again</Button>
        {/* Signs out first: /sign-in itself would send a signed-in user back here. */}
        <form action={signInAgain}>
          <Button type="submit" variant="outline">
            Sign in again
          </Button>
        </form>
      </div>
    </main>
  );
}
