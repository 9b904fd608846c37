"use client";

import { ConvexProviderWithAuth, ConvexReactClient } from "convex/react";
import type { ReactNode } from "react";
import { useAuthFromAuthKit } from "@/lib/use-auth-from-authkit";

const convexUrl = process.env.NEXT_PUBLIC_CONVEX_URL;
if (!convexUrl) {
  throw new Error("NEXT_PUBLIC_CONVEX_URL is not set: run `npx convex dev` to create .env.local.");
}

// Created once per browser tab, at module scope (creating a client during render breaks
// `next build` with cacheComponents). A client connects only when first used.
//
// `expectAuth` holds back every query until the access token has been sent, so a page
// that the server already knows is signed in never runs its queries unauthenticated.
// `initialAuthTokenReuse`: once Convex accepted the page's first token (the one the server
// already had), it is kept until shortly before it expires, instead of being replaced at once
// (which would spend the single-use refresh token on every page load).
const signedInClient = new ConvexReactClient(convexUrl, { expectAuth: true, initialAuthTokenReuse: true });
const signedOutClient = new ConvexReactClient(convexUrl);

export function ConvexClientProvider({
  children,
  expectAuth,
}: {
  children: ReactNode;
  /** True when the server saw a signed-in session for this page load. */
  expectAuth: boolean;
}) {
  return (
    <ConvexProviderWithAuth
      client={expectAuth ? signedInClient : signedOutClient}
      useAuth={useAuthFromAuthKit}
    >
      {children}
    </ConvexProviderWithAuth>
  );
}
