import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { GeistSans } from "geist/font/sans";
import { GeistMono } from "geist/font/mono";
import { withAuth } from "@workos-inc/authkit-nextjs";
import { AuthKitProvider } from "@workos-inc/authkit-nextjs/components";
import { ConvexClientProvider } from "@/components/convex-client-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: "AuthKit + Convex",
  description: "Next.js app with WorkOS AuthKit sign-in and a Convex backend",
};

// Geist comes from the `geist` package (local font files), so builds need no network.
export default function RootLayout({ children }: LayoutProps<"/">) {
  return (
    <html
      lang="en"
      className={`${GeistSans.variable} ${GeistMono.variable} h-full antialiased`}
    >
      <body className="min-h-full flex flex-col">
        {/* Reading the session makes the page dynamic; Suspense lets the rest stream. */}
        <Suspense fallback={null}>
          <Providers>{children}</Providers>
        </Suspense>
      </body>
    </html>
  );
}

async function Providers({ children }: { children: React.ReactNode }) {
  // The server already knows whether this request is signed in: hand that to the client
  // so it does not have to ask again, and so Convex waits for the token (expectAuth).
  // The access token itself stays on the server.
  // Request time only: AuthKit checks the token's expiry against the clock, which Next.js does
  // not allow while prerendering.
  await connection();
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { accessToken, ...initialAuth } = await withAuth();
  return (
    // Keyed by user: signing in or out with a server action (magic code form, sign-out button)
    // re-renders this layout without a page load. AuthKitProvider reads `initialAuth` only on
    // mount, so without the key it would keep the old user and Convex would wait for a token
    // forever ("Loading…"). A new key remounts both providers with the new session.
    <AuthKitProvider key={initialAuth.user?.id ?? "signed-out"} initialAuth={initialAuth}>
      <ConvexClientProvider expectAuth={initialAuth.user !== null}>
        {children}
      </ConvexClientProvider>
    </AuthKitProvider>
  );
}
