/**
 * The phases run against the Shoal tracker: connected peers and their memory, re-announces, signal relay,
 * registrations of distinct files, then searches over the registry that leaves.
 */
import { MAX_FILES_PER_REGISTER } from '@shoal/common';
import { TRACKER_NODE_FLAGS } from '@shoal/signaling-server';
import type { GcPauseReading, MemoryReading, SearchReport, ServerApi, ServerInfo } from './child-api.ts';
import {
  mib,
  type AnnounceFigures,
  type ConnectFigures,
  type PacedRelayFigures,
  type PeerMemoryFigures,
  type RegistrationFigures,
  type RegistryFigures,
  type RelayFigures,
  type SearchFigures,
  type SearchSummary,
} from './figures.ts';
import type { TrackerBenchPlan } from './plan.ts';
import {
  FILTERED_QUERY_KINDS,
  makeFilteredQueries,
  type BenchQuery,
  type FilteredQueryKind,
} from './filtered-queries.ts';
import { makeQueries, QUERY_KINDS, type QueryKind } from './queries.ts';
import { startChild } from './rpc.ts';
import { latencySummary, mergeCounts, percentile, round } from './stats.ts';
import {
  announceAll,
  connectMeasured,
  kibPer,
  onAll,
  relayOnAll,
  share,
  startSearcher,
  withCpu,
  type Server,
  type Worker,
} from './workers.ts';

/** The Shoal tracker child process and its URL. */
export interface ShoalTracker {
  server: Server;
  url: string;
}

type Log = (line: string) => void;

/**
 * Starts the real tracker (`createTracker`, configuration from `loadConfig`) in a child process, with the Node flags
 * `npm start` gives it.
 */
export async function startShoalTracker(log: Log): Promise<ShoalTracker> {
  log(`tracker: Shoal runs with node ${TRACKER_NODE_FLAGS.join(' ')} (as npm start), and --expose-gc`);
  const { child, info } = await startChild<ServerApi, ServerInfo>({
    name: 'shoal-tracker',
    script: 'shoal-server.ts',
    nodeFlags: ['--expose-gc', ...TRACKER_NODE_FLAGS],
    env: { LOG_LEVEL: 'warn' },
    log,
  });
  return { server: child, url: `http://127.0.0.1:${info.port}` };
}

/**
 * Connects `plan.peers` clients and measures what each costs the tracker: the memory the last
 * `plan.peers - plan.warmupPeers` of them added (see {@link TrackerBenchPlan.warmupPeers}).
 */
export async function connectShoalPeers(
  plan: TrackerBenchPlan,
  tracker: ShoalTracker,
  workers: readonly Worker[],
  log: Log,
): Promise<{ connect: ConnectFigures; memory: PeerMemoryFigures; reading: MemoryReading }> {
  const {
    connect,
    measuredPeers: measured,
    before,
    after,
  } = await connectMeasured(workers, 'connectShoal', tracker.url, plan, () =>
    tracker.server.call('memory', { gc: true }),
  );
  const perPeer = kibPer(before, after, measured);
  log(
    `tracker: Shoal holds ${connect.peers} peers (${connect.failed} failed): ${perPeer.rss} KiB RSS, ` +
      `${perPeer.heap} KiB heap each (the last ${measured})`,
  );
  return {
    connect,
    memory: {
      peers: connect.peers,
      measuredPeers: measured,
      memoryPerPeerKiB: perPeer.rss,
      heapPerPeerKiB: perPeer.heap,
      before: mib(before),
      after: mib(after),
    },
    reading: after,
  };
}

/** Every peer registers one replica of a popular file, `announceRounds` times in a row (periodic re-announces). */
export async function shoalAnnounceRun(
  plan: TrackerBenchPlan,
  tracker: ShoalTracker,
  workers: readonly Worker[],
  baseFiles: number,
): Promise<Omit<AnnounceFigures, 'runsPerSecond'>> {
  return announceAll(tracker.server, workers, (worker) =>
    worker.call('announceShoal', { rounds: plan.announceRounds, baseFiles, swarmSize: plan.swarmSize }),
  );
}

function relayParams(plan: TrackerBenchPlan) {
  return {
    warmupMs: plan.relayWarmupMs,
    durationMs: plan.relayDurationMs,
    ratePerSender: plan.relayRatePerSender,
    window: plan.relayWindow,
  };
}

/** One saturating run of trickled candidates, one way within each pair, a trickle burst in flight per pair. */
export function shoalCandidateRun(
  plan: TrackerBenchPlan,
  tracker: ShoalTracker,
  workers: readonly Worker[],
): Promise<RelayFigures> {
  return relayOnAll(
    tracker.server,
    workers,
    'relayShoal',
    { ...relayParams(plan), mode: 'candidate', window: plan.trickleBurst },
    plan.relayPairs,
  );
}

/** Candidates paced at `offered` signals per second in all, spread over the pairs: latency below saturation. */
export async function shoalPacedRun(
  plan: TrackerBenchPlan,
  tracker: ShoalTracker,
  workers: readonly Worker[],
  offered: number,
): Promise<PacedRelayFigures> {
  const figures = await relayOnAll(
    tracker.server,
    workers,
    'relayShoal',
    { ...relayParams(plan), mode: 'candidate', window: 64, ratePerSender: offered / plan.relayPairs },
    plan.relayPairs,
  );
  return { ...figures, offeredPerSecond: offered };
}

/** One saturating run of offer/answer exchanges (the same exchange as the bittorrent-tracker baseline). */
export function shoalOfferAnswerRun(
  plan: TrackerBenchPlan,
  tracker: ShoalTracker,
  workers: readonly Worker[],
): Promise<RelayFigures> {
  return relayOnAll(
    tracker.server,
    workers,
    'relayShoal',
    { ...relayParams(plan), mode: 'offer-answer' },
    plan.relayPairs,
  );
}

/** Total distinct files the registration phase registers. */
export function plannedFiles(plan: TrackerBenchPlan): number {
  return plan.registeringPeers * plan.filesPerPeer;
}

/** Distinct files in batches of the protocol's maximum, many peers in parallel, each within its rate limit. */
export async function registerFiles(
  plan: TrackerBenchPlan,
  tracker: ShoalTracker,
  workers: readonly Worker[],
  log: Log,
): Promise<RegistrationFigures> {
  const peersOf = (index: number): number => share(plan.registeringPeers, workers.length, index);
  const firstFiles: number[] = [];
  let next = 0;
  for (let index = 0; index < workers.length; index++) {
    firstFiles.push(next);
    next += peersOf(index) * plan.filesPerPeer;
  }
  await onAll(workers, (worker, index) =>
    worker.call('prepareRegistration', {
      peers: peersOf(index),
      filesPerPeer: plan.filesPerPeer,
      firstFile: firstFiles[index] ?? 0,
      batchSize: MAX_FILES_PER_REGISTER,
    }),
  );
  const started = performance.now();
  const {
    value: reports,
    trackerCpuPercent,
    othersCpuPercent,
  } = await withCpu(tracker.server, workers, () =>
    onAll(workers, (worker) => worker.call('runRegistration', { concurrency: plan.registerConcurrency })),
  );
  const seconds = (performance.now() - started) / 1000;
  const files = reports.reduce((sum, report) => sum + report.files, 0);
  const errors: Record<string, number> = {};
  for (const report of reports) mergeCounts(errors, report.errors);
  const batches = latencySummary(reports.flatMap((report) => report.latenciesMs));
  const registrationsPerSecond = Math.round(files / seconds);
  log(`tracker: Shoal registered ${files} files at ${registrationsPerSecond} files/s`);
  return {
    peers: plan.registeringPeers,
    filesPerPeer: plan.filesPerPeer,
    batchSize: MAX_FILES_PER_REGISTER,
    files,
    registrationsPerSecond,
    batchP50Ms: batches.p50Ms,
    batchP99Ms: batches.p99Ms,
    trackerCpuPercent,
    othersCpuPercent,
    errors,
  };
}

/** Registry size and its memory cost per file (heap, and outside it), measured from a reading taken before any file was registered. */
export async function registryFigures(tracker: ShoalTracker, before: MemoryReading): Promise<RegistryFigures> {
  const counts = await tracker.server.call('counts', null);
  const reading = await tracker.server.call('memory', { gc: true });
  const files = counts.files ?? 0;
  return {
    files,
    peers: counts.peers ?? 0,
    heapBytesPerFile: files > 0 ? Math.round((reading.heapUsedBytes - before.heapUsedBytes) / files) : 0,
    externalBytesPerFile: files > 0 ? Math.round((reading.externalBytes - before.externalBytes) / files) : 0,
    memory: mib(reading),
  };
}

/** Runs `queries` end to end, one at a time, each from the searcher's next connection. */
function searchOneAtATime(searcher: Worker, queries: readonly BenchQuery[]): Promise<SearchReport> {
  return searcher.call('search', { queries: [...queries], concurrency: 1 });
}

/** Searches of one kind: end to end one at a time, then the same queries against the registry alone. */
async function measureSearches(
  tracker: ShoalTracker,
  workers: readonly Worker[],
  searcher: Worker,
  queries: readonly BenchQuery[],
): Promise<{ figures: SearchFigures; totalsAgree: boolean }> {
  // GC pauses are read (and so reset) right before and after the end-to-end searches.
  await tracker.server.call('gcPauses', null);
  await searcher.call('gcPauses', null);
  const started = performance.now();
  const { value: endToEnd, othersCpuPercent } = await withCpu(tracker.server, [searcher, ...workers], () =>
    searchOneAtATime(searcher, queries),
  );
  const seconds = (performance.now() - started) / 1000;
  const trackerGc = await tracker.server.call('gcPauses', null);
  const clientGc = await searcher.call('gcPauses', null);
  const inProcess = await tracker.server.call('registrySearch', { queries: [...queries], repeat: 1 });
  const totalsAgree = endToEnd.totals.every((total, q) => total === inProcess.totals[q]);
  const totals = inProcess.totals;
  const e2e = latencySummary(endToEnd.latenciesMs);
  const registry = latencySummary(inProcess.latenciesMs);
  const label = ({ query, sort }: BenchQuery): string => (sort ? `${query} (by ${sort})` : query);
  const slowest = queries
    .map((query, q) => ({ query: label(query), ms: round(inProcess.latenciesMs[q] ?? 0, 2), matches: totals[q] ?? 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3);
  const errors = { ...endToEnd.errors };
  mergeCounts(errors, inProcess.errors);
  const figures: SearchFigures = {
    queries: queries.length,
    ...e2e,
    registryP50Ms: registry.p50Ms,
    registryP99Ms: registry.p99Ms,
    matches: {
      median: percentile(totals, 50),
      p90: percentile(totals, 90),
      max: percentile(totals, 100),
      zeroShare: round(totals.filter((total) => total === 0).length / totals.length, 3),
    },
    queriesPerSecond: Math.round(queries.length / seconds),
    examples: queries.slice(0, 5).map(label),
    slowest,
    othersCpuPercent,
    trackerGc,
    clientGc,
    errors,
  };
  return { figures, totalsAgree };
}

/** GC pauses in a log line: "12 scavenges (81 ms, max 9.1 ms), 1 old-generation (14 ms, max 12 ms)". */
function gcText({ scavenges, fullGcs }: GcPauseReading): string {
  const part = (count: number, what: string, totalMs: number, maxMs: number): string =>
    `${count} ${what} (${Math.round(totalMs)} ms, max ${maxMs.toFixed(1)} ms)`;
  return (
    part(scavenges.count, 'scavenges', scavenges.totalMs, scavenges.maxMs) +
    (fullGcs.count > 0 ? `, ${part(fullGcs.count, 'old-generation', fullGcs.totalMs, fullGcs.maxMs)}` : '')
  );
}

/**
 * Searches of each kind over the registry in place, end to end (from the searcher, see {@link startSearcher}) and in
 * the registry alone.
 */
export async function searchPhase(
  plan: TrackerBenchPlan,
  tracker: ShoalTracker,
  workers: readonly Worker[],
  files: number,
  log: Log,
): Promise<SearchSummary> {
  const searcher = await startSearcher(tracker.url, log);
  try {
    return await searchKinds(plan, tracker, workers, searcher, files, log);
  } finally {
    await searcher.stop();
  }
}

async function searchKinds(
  plan: TrackerBenchPlan,
  tracker: ShoalTracker,
  workers: readonly Worker[],
  searcher: Worker,
  files: number,
  log: Log,
): Promise<SearchSummary> {
  // Warm-up (JIT, caches) with queries of every kind that are not measured.
  const warmup: BenchQuery[] = [
    ...QUERY_KINDS.flatMap((kind, i) => makeQueries(kind, plan.warmupQueries, files, 900 + i)).map((query) => ({
      query,
    })),
    ...FILTERED_QUERY_KINDS.flatMap((kind, i) => makeFilteredQueries(kind, plan.warmupQueries, files, 950 + i)),
  ];
  await searchOneAtATime(searcher, warmup);
  await tracker.server.call('registrySearch', { queries: warmup, repeat: 1 });

  const figures: Partial<Record<QueryKind, SearchFigures>> = {};
  const filtered: Partial<Record<FilteredQueryKind, SearchFigures>> = {};
  let totalsAgree = true;
  const report = (kind: string, result: { figures: SearchFigures; totalsAgree: boolean }): SearchFigures => {
    const { figures: measured } = result;
    totalsAgree &&= result.totalsAgree;
    log(
      `tracker: search ${kind}: p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms end to end; registry alone p50 ` +
        `${measured.registryP50Ms} ms, p99 ${measured.registryP99Ms} ms; median ${measured.matches.median} matches; ` +
        `GC pauses meanwhile: tracker ${gcText(measured.trackerGc)}, clients ${gcText(measured.clientGc)}`,
    );
    return measured;
  };
  for (const [i, kind] of QUERY_KINDS.entries()) {
    const queries = makeQueries(kind, plan.queriesPerKind, files, 100 + i).map((query) => ({ query }));
    figures[kind] = report(kind, await measureSearches(tracker, workers, searcher, queries));
  }
  for (const [i, kind] of FILTERED_QUERY_KINDS.entries()) {
    const queries = makeFilteredQueries(kind, plan.queriesPerKind, files, 200 + i);
    filtered[kind] = report(kind, await measureSearches(tracker, workers, searcher, queries));
  }
  const { oneWord, twoWord, prefix } = figures;
  if (!oneWord || !twoWord || !prefix) throw new Error('a query kind was not measured');
  if (FILTERED_QUERY_KINDS.some((kind) => !filtered[kind])) throw new Error('a filtered query kind was not measured');
  return { oneWord, twoWord, prefix, filtered: filtered as Record<FilteredQueryKind, SearchFigures>, totalsAgree };
}
