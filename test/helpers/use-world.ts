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
