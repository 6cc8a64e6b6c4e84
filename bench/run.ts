import { readFile, writeFile } from 'node:fs/promises';
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
import { BENCH_PROFILES, type BenchProfile } from './transfer/bench-browser.ts';

/**
 * `npm run bench [-- --quick] [-- --parts=tracker,swarm] [-- --profile=incognito]`: every benchmark (or the parts named: transfer, storage,
 * swarm, tracker, tracker-watches, tracker-cluster), then `bench/results.json` and a markdown table on stdout. With `--parts`, the
 * figures of the parts not run stay as the last results.json had them. Progress goes to stderr. Figures are ratios
 * against baselines measured in the same run: this machine is noisy.
 */
const PARTS = ['transfer', 'storage', 'swarm', 'tracker', 'tracker-watches', 'tracker-cluster'];
const quick = process.argv.includes('--quick');
const chosen = process.argv
  .find((arg) => arg.startsWith('--parts='))
  ?.slice('--parts='.length)
  .split(',');
const unknown = chosen?.filter((part) => !PARTS.includes(part)) ?? [];
if (unknown.length > 0) throw new Error(`unknown bench parts ${unknown.join(', ')}: choose from ${PARTS.join(', ')}`);
const runs = (part: string): boolean => chosen === undefined || chosen.includes(part);
const profile = (process.argv.find((arg) => arg.startsWith('--profile='))?.slice('--profile='.length) ??
  'profile') as BenchProfile;
if (!BENCH_PROFILES.includes(profile)) throw new Error(`unknown --profile ${profile}: ${BENCH_PROFILES.join(' or ')}`);
const log = (line: string) => console.error(line);
const started = Date.now();
const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');
const previous: Record<string, unknown> =
  chosen === undefined ? {} : JSON.parse(await readFile(file, 'utf8').catch(() => '{}'));

const browserPart = runs('transfer') ? await runTransferBench({ quick, profile, log }) : undefined;
const storagePart = runs('storage') ? await runStorageBench({ quick, log }) : undefined;
const swarmPart = runs('swarm') ? await runSwarmBench({ quick, log }) : undefined;
const trackerPart = runs('tracker') ? await runTrackerBench({ quick, log }) : undefined;
const watchPart = runs('tracker-watches') ? await runWatchBench({ quick, log }) : undefined;
const clusterPart = runs('tracker-cluster') ? await runClusterBench({ quick, log }) : undefined;

const results = {
  ...previous,
  ...(browserPart && { transfer: browserPart.transfer, hashing: browserPart.hashing }),
  ...(storagePart && {
    storage: {
      ...storagePart.storage,
      // Against the transfer part's ceiling too (one browser, two contexts: usually the fastest network rate measured).
      ...(browserPart && {
        storageToTransferCeiling: round(storagePart.storage.opfsWriteMiBps / browserPart.transfer.rawMiBps, 2),
      }),
    },
  }),
  ...(swarmPart && { swarm: swarmPart.swarm }),
  ...(trackerPart && { tracker: trackerPart.results }),
  ...(watchPart && { trackerWatches: watchPart.results }),
  ...(clusterPart && { trackerCluster: clusterPart.results }),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    quick,
    parts: chosen ?? PARTS,
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
  },
};
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);

const rows: TableRow[] = [
  ...(browserPart?.rows ?? []),
  ...(storagePart?.rows ?? []),
  ...(swarmPart?.rows ?? []),
  ...(trackerPart?.rows ?? []),
  ...(watchPart?.rows ?? []),
  ...(clusterPart?.rows ?? []),
];
const escape = (text: string) => text.replaceAll('|', '\\|');
console.log('| measure | Shoal | baseline (same run) | note |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) {
  console.log(`| ${[row.measure, row.shoal, row.baseline, row.note].map(escape).join(' | ')} |`);
}
console.error(`wrote ${path.relative(process.cwd(), file)} in ${results.machine.durationSeconds} s`);
