import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TableRow } from './results.ts';
import { round } from './support/stats.ts';
import { runStorageBench } from './storage/index.ts';
import { runSwarmBench } from './swarm/index.ts';
import { runClusterBench } from './tracker-cluster/index.ts';
import { runTrackerBench } from './tracker/index.ts';
import { runWatchBench } from './tracker/watches.ts';
import { runTransferBench } from './transfer/index.ts';

/**
 * `npm run bench [-- --quick]`: every benchmark, then `bench/results.json` and a markdown table on stdout.
 * Progress goes to stderr. Figures are ratios against baselines measured in the same run: this machine is noisy.
 */
const quick = process.argv.includes('--quick');
const log = (line: string) => console.error(line);
const started = Date.now();

const browserPart = await runTransferBench({ quick, log });
const storagePart = await runStorageBench({ quick, log });
const swarmPart = await runSwarmBench({ quick, log });
const trackerPart = await runTrackerBench({ quick, log });
const watchPart = await runWatchBench({ quick, log });
const clusterPart = await runClusterBench({ quick, log });

const results = {
  transfer: browserPart.transfer,
  hashing: browserPart.hashing,
  storage: {
    ...storagePart.storage,
    // Against the transfer part's ceiling too (one browser, two contexts: usually the fastest network rate measured).
    storageToTransferCeiling: round(storagePart.storage.opfsWriteMiBps / browserPart.transfer.rawMiBps, 2),
  },
  swarm: swarmPart.swarm,
  tracker: trackerPart.results,
  trackerWatches: watchPart.results,
  trackerCluster: clusterPart.results,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    quick,
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
  },
};
const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);

const rows: TableRow[] = [
  ...browserPart.rows,
  ...storagePart.rows,
  ...swarmPart.rows,
  ...trackerPart.rows,
  ...watchPart.rows,
  ...clusterPart.rows,
];
const escape = (text: string) => text.replaceAll('|', '\\|');
console.log('| measure | Shoal | baseline (same run) | note |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) {
  console.log(`| ${[row.measure, row.shoal, row.baseline, row.note].map(escape).join(' | ')} |`);
}
console.error(`wrote ${path.relative(process.cwd(), file)} in ${results.machine.durationSeconds} s`);
