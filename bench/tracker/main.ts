import { runTrackerBench } from './index.ts';

// Runs the tracker part of the benchmark alone: `node --import tsx bench/tracker/main.ts [--quick]`.
// Progress goes to stderr; the JSON results and the markdown table to stdout.
const { results, rows } = await runTrackerBench({
  quick: process.argv.includes('--quick'),
  log: (line) => console.error(line),
});
console.log(JSON.stringify(results, null, 2));
const escape = (text: string): string => text.replaceAll('|', '\\|');
console.log('\n| measure | Shoal | baseline (same run) | note |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${[row.measure, row.shoal, row.baseline, row.note].map(escape).join(' | ')} |`);
