export default function Loading() {
  return (
    <main className="flex flex-1 items-center justify-center p-6 text-sm text-muted-foreground">
      Loading…
    </main>
  );
}
