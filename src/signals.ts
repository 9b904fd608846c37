/**
 * Ctrl-C (SIGINT), SIGTERM (e.g. `kill`, a CI runner timing out) and SIGHUP (the terminal closed)
 * all cancel the run the same way; only the exit code says which one it was (128 + its number).
 * Cleanups that must happen however the process ends (a staging folder, the lock) run at exit.
 */
import { rmSync } from 'node:fs';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type CancelSignal = keyof typeof EXIT_CODES;

let received: CancelSignal | undefined;

/** The exit code of a cancelled run: that of the first signal received (Ctrl-C at a prompt: 130). */
export function cancelExitCode(): number {
  return received ? EXIT_CODES[received] : EXIT_CODES.SIGINT;
}

/**
 * Calls `onCancel` on each of the signals. `on`, not `once`: execa's exit hook re-raises a signal if
 * it finds no other listener left.
 */
export function onCancelSignals(onCancel: (signal: CancelSignal) => void): void {
  for (const signal of Object.keys(EXIT_CODES) as CancelSignal[]) {
    process.on(signal, () => {
      received ??= signal;
      onCancel(signal);
    });
  }
}

/** Paths removed when the process exits, unless released first (synchronous: 'exit' allows nothing else). */
const removeAtExit = new Set<string>();
process.on('exit', () => {
  for (const target of removeAtExit) rmSync(target, { recursive: true, force: true });
});

/** Removes `target` at exit (e.g. a staging folder, if the run is killed while it exists). */
export function removeOnExit(target: string): () => void {
  removeAtExit.add(target);
  return () => removeAtExit.delete(target);
}

/** Runs `cleanup` at exit, however the run ends. */
export function atExit(cleanup: () => void): void {
  process.on('exit', () => {
    try {
      cleanup();
    } catch {
      /* leaving anyway */
    }
  });
}
