import { runClusterBench } from './index.ts';

// Runs the two-tracker part of the benchmark alone: `node --import tsx bench/tracker-cluster/main.ts [--quick]`.
const { results, rows } = await runClusterBench({
  quick: process.argv.includes('--quick'),
  log: (line) => console.error(line),
});
console.log(JSON.stringify(results, null, 2));
const escape = (text: string): string => text.replaceAll('|', '\\|');
console.log('\n| measure | 2 trackers + Redis | one process (same run) | note |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${[row.measure, row.shoal, row.baseline, row.note].map(escape).join(' | ')} |`);
