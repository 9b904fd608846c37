/** One offline world per test file, with no fault left over from one case to the next. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startWorld, type World } from './world.js';

export function useWorld(opts?: Parameters<typeof startWorld>[0]): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld(opts);
  }, 60_000);
  afterEach(() => {
    world?.clearFaults();
  });
  afterAll(async () => {
    await world?.close();
  });
  return () => world!;
}

/**
 * `size` offline worlds for a file whose tests run concurrently: each test borrows a world of its own
 * for its whole body (stand-ins, ports, faults, HOME and state are per world, so a fault one test sets
 * never answers another's requests), and gives it back with its faults cleared.
 */
export function useWorldPool(size: number, opts?: Parameters<typeof startWorld>[0]): <T>(fn: (world: World) => Promise<T>) => Promise<T> {
  const worlds: World[] = [];
  const free: World[] = [];
  const waiting: Array<(world: World) => void> = [];
  beforeAll(async () => {
    worlds.push(...(await Promise.all(Array.from({ length: size }, () => startWorld(opts)))));
    free.push(...worlds);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(worlds.map((w) => w.close()));
  });
  return async (fn) => {
    const world = free.pop() ?? (await new Promise<World>((resolve) => waiting.push(resolve)));
    try {
      return await fn(world);
    } finally {
      world.clearFaults();
      const next = waiting.shift();
      if (next) next(world);
      else free.push(world);
    }
  };
}
