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
const started = Date.now();
/** Progress on stderr, each line stamped with the minutes and seconds since the start: where the 15 minutes go. */
const log = (line: string) => {
  const seconds = Math.round((Date.now() - started) / 1000);
  console.error(`[${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}] ${line}`);
};
const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');
const previous: Record<string, unknown> =
  chosen === undefined ? {} : JSON.parse(await readFile(file, 'utf8').catch(() => '{}'));

/** Seconds each part took: the whole run must stay within 15 minutes, and this says where they go. */
const partSeconds: Record<string, number> = {};
async function part<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  if (!runs(name)) return undefined;
  const partStarted = Date.now();
  const result = await run();
  partSeconds[name] = Math.round((Date.now() - partStarted) / 1000);
  log(`${name}: ${partSeconds[name]} s`);
  return result;
}

const browserPart = await part('transfer', () => runTransferBench({ quick, profile, log }));
const storagePart = await part('storage', () => runStorageBench({ quick, log }));
const swarmPart = await part('swarm', () => runSwarmBench({ quick, log }));
const trackerPart = await part('tracker', () => runTrackerBench({ quick, log }));
const watchPart = await part('tracker-watches', () => runWatchBench({ quick, log }));
const clusterPart = await part('tracker-cluster', () => runClusterBench({ quick, log }));

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
    partSeconds,
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
