/**
 * `npm run bench:readme [results.json]`: writes the bench table (the newest file of bench/results/
 * unless one is named) into README.md between its bench markers.
 */
import path from 'node:path';
import fs from 'fs-extra';
import { renderTable, replaceBetweenMarkers, type BenchResults } from './render.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'bench/results');
const named = process.argv[2];
const newest = async () => {
  const files = (await fs.readdir(dir).catch(() => [])).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error('no bench results: run test/bench/run first');
  return path.join(dir, files.at(-1)!);
};
const file = named ? path.resolve(named) : await newest();
const results: BenchResults = await fs.readJson(file);
const readme = path.join(root, 'README.md');
await fs.writeFile(readme, replaceBetweenMarkers(await fs.readFile(readme, 'utf8'), renderTable(results)));
console.log(`README.md: bench table from ${path.relative(root, file)}`);
