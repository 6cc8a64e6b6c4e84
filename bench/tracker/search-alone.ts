/**
 * The search phase against the registry alone, in this process: the same registry the full run builds (every peer's
 * replica of a popular file, then peers registering distinct files in batches) and the same queries, without sockets.
 * For iterating on search quickly; the full run (`main.ts`) stays the reference.
 *
 * `node --expose-gc --max-old-space-size=4096 --import tsx bench/tracker/search-alone.ts [--quick] [--rounds=N]
 *  [--kinds=oneWord,filterOnly,...]`
 */
import { MAX_FILES_PER_REGISTER, parseSearchQuery, type FileRegistration } from '@shoal/common';
import { MemoryRegistry } from '@shoal/signaling-server';
import { benchFile, replicaOf, seededRandom, zipfRank } from './names.ts';
import { FULL_PLAN, QUICK_PLAN } from './plan.ts';
import { FILTERED_QUERY_KINDS, makeFilteredQueries, type BenchQuery } from './filtered-queries.ts';
import { makeQueries, QUERY_KINDS } from './queries.ts';
import { latencySummary, percentile } from './stats.ts';

const quick = process.argv.includes('--quick');
const rounds = Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.slice(9) ?? 3);
const plan = quick ? QUICK_PLAN : FULL_PLAN;
const files = plan.registeringPeers * plan.filesPerPeer;
const gc = (globalThis as { gc?: () => void }).gc;

const registry = new MemoryRegistry();
for (let peer = 0; peer < plan.peers; peer++) {
  const random = seededRandom(peer);
  await registry.register(`popular-${peer}`, [replicaOf(zipfRank(random, files), random)]);
}
gc?.();
const memoryBefore = process.memoryUsage();
const started = performance.now();
for (let peer = 0; peer < plan.registeringPeers; peer++) {
  const first = peer * plan.filesPerPeer;
  for (let offset = 0; offset < plan.filesPerPeer; offset += MAX_FILES_PER_REGISTER) {
    const batch: FileRegistration[] = [];
    const end = Math.min(plan.filesPerPeer, offset + MAX_FILES_PER_REGISTER);
    for (let i = offset; i < end; i++) batch.push(benchFile(first + i));
    await registry.register(`peer-${peer}`, batch);
  }
}
const registerSeconds = (performance.now() - started) / 1000;
gc?.();
const memoryAfter = process.memoryUsage();
const heapPerFile = Math.round((memoryAfter.heapUsed - memoryBefore.heapUsed) / files);
// The search index's sorted slot lists are typed arrays: their bytes are outside the JS heap.
const buffersPerFile = Math.round((memoryAfter.arrayBuffers - memoryBefore.arrayBuffers) / files);
console.log(
  `${files} files registered in ${registerSeconds.toFixed(1)} s (names made in the same loop); ` +
    `${heapPerFile} B of heap and ${buffersPerFile} B of array buffers per file`,
);

/** Runs one query as the tracker's handler would: parsed, then searched for its first page. */
async function search({ query, sort = 'relevance' }: BenchQuery): Promise<number> {
  const parsed = parseSearchQuery(query);
  if (!parsed.ok) throw new Error(`bench query "${query}" does not parse: ${parsed.hint}`);
  return (await registry.search({ query: parsed.query, sort, offset: 0, limit: 50 })).total;
}

const kinds: [string, (count: number, seed: number) => BenchQuery[]][] = [
  ...QUERY_KINDS.map((kind): [string, (count: number, seed: number) => BenchQuery[]] => [
    kind,
    (count, seed) => makeQueries(kind, count, files, seed).map((query) => ({ query })),
  ]),
  ...FILTERED_QUERY_KINDS.map((kind): [string, (count: number, seed: number) => BenchQuery[]] => [
    kind,
    (count, seed) => makeFilteredQueries(kind, count, files, seed),
  ]),
];
const only = process.argv
  .find((arg) => arg.startsWith('--kinds='))
  ?.slice(8)
  .split(',');
const measured = kinds.filter(([kind]) => !only || only.includes(kind));

for (const [i, [, make]] of measured.entries())
  for (const query of make(plan.warmupQueries, 900 + i)) await search(query);

for (let round = 0; round < rounds; round++) {
  for (const [i, [kind, make]] of measured.entries()) {
    const queries = make(plan.queriesPerKind, 100 + i);
    const latencies: number[] = [];
    const timed: { query: string; ms: number; total: number }[] = [];
    for (const query of queries) {
      const sent = performance.now();
      const total = await search(query);
      const ms = performance.now() - sent;
      latencies.push(ms);
      timed.push({ query: query.sort ? `${query.query} (by ${query.sort})` : query.query, ms, total });
    }
    const { p50Ms, p99Ms, maxMs } = latencySummary(latencies);
    const slowest = timed
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map(({ query, ms, total }) => `"${query}" ${ms.toFixed(1)} ms/${total}`)
      .join(', ');
    const matches = percentile(
      timed.map((t) => t.total),
      50,
    );
    console.log(
      `round ${round} ${kind}: p50 ${p50Ms} ms, p99 ${p99Ms} ms, max ${maxMs} ms; median ${matches} matches; ` +
        `slowest ${slowest}`,
    );
  }
}
