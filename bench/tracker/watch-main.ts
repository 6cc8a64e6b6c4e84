import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWatchBench } from './watches.ts';

// Runs the watched-search part of the benchmark alone: `node --import tsx bench/tracker/watch-main.ts [--quick]`.
// Prints the JSON results and a markdown table, and sets `trackerWatches` in bench/results.json (kept as it is
// otherwise), as `npm run bench` would.
const { results, rows } = await runWatchBench({
  quick: process.argv.includes('--quick'),
  log: (line) => console.error(line),
});
console.log(JSON.stringify(results, null, 2));
const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results.json');
const previous = await readFile(file, 'utf8').then(
  (text) => JSON.parse(text) as Record<string, unknown>,
  () => ({}),
);
await writeFile(file, `${JSON.stringify({ ...previous, trackerWatches: results }, null, 2)}\n`);
const escape = (text: string): string => text.replaceAll('|', '\\|');
console.log('\n| measure | Shoal | baseline (same run) | note |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${[row.measure, row.shoal, row.baseline, row.note].map(escape).join(' | ')} |`);
