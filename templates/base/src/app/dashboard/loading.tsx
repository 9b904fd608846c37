export default function Loading() {
  return (
    <main className="flex flex-1 items-center justify-center p-6 text-sm text-muted-foreground">
      {/* role="status": screen readers announce it without moving the focus. */}
      <p role="status">Loading…</p>
    </main>
  );
}
