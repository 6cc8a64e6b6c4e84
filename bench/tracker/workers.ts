/** Starting the load workers and running one step on all of them at once. */
import type {
  AnnounceReport,
  ConnectReport,
  CpuReading,
  MemoryReading,
  RelayParams,
  RelayReport,
  ServerApi,
  WorkerApi,
} from './child-api.ts';
import type { AnnounceFigures, ConnectFigures, CpuFigures, RelayFigures } from './figures.ts';
import type { TrackerBenchPlan } from './plan.ts';
import os from 'node:os';
import { TRACKER_NODE_FLAGS } from '@shoal/signaling-server';
import { cpuPercent, readSystemCpu, systemCpuPercent } from './process-readings.ts';
import { startChild, type Child } from './rpc.ts';
import { latencySummary, mergeCounts, round } from './stats.ts';

export type Worker = Child<WorkerApi>;
export type Server = Child<ServerApi>;

/**
 * Starts `count` load workers, with the tracker's young-generation size (`TRACKER_NODE_FLAGS`). A worker holds
 * thousands of clients in one heap, so each of its scavenges stalls every client at once (a browser tab holds one
 * client in a heap of its own): with Node's default size they were inside 1 to 9 of the 21 slowest searches of a
 * kind, and the larger young generation makes them about four times rarer. The same workers load both trackers.
 */
export async function startWorkers(count: number, log: (line: string) => void): Promise<Worker[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, async (_, index) => {
      const { child } = await startChild<WorkerApi, unknown>({
        name: `load-worker-${index}`,
        script: 'load-worker.ts',
        nodeFlags: [...TRACKER_NODE_FLAGS],
        log,
      });
      return child;
    }),
  );
  const workers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(workers.map((worker) => worker.stop()));
    throw failure.reason;
  }
  return workers;
}

/**
 * Connections of the searcher. Searches go out from each in turn: at the bench's hundreds of searches a second (a few
 * thousand in a quick run), each stays far below a connection's rate limit (`RATE_LIMITS.requests`, 20 a second).
 */
const SEARCHER_CONNECTIONS = 256;

/**
 * Starts the searcher: a process of its own with a few hundred connections to the tracker at `url`, which sends the
 * measured searches, as people's browser tabs send them. Sent from the load workers, whose heaps hold thousands of
 * clients each, the searches had those heaps' scavenges inside their latencies (2 to 20 per kind of 1,500 searches
 * in session 6's runs, up to 16 ms each): a cost that no browser pays for other people's connections. Node's default
 * flags, like a tab's own heap.
 */
export async function startSearcher(url: string, log: (line: string) => void): Promise<Worker> {
  const { child } = await startChild<WorkerApi, unknown>({ name: 'searcher', script: 'load-worker.ts', log });
  const report = await child.call('connectShoal', {
    url,
    count: SEARCHER_CONNECTIONS,
    concurrency: 32,
    worker: 0,
  });
  if (report.connected !== SEARCHER_CONNECTIONS) {
    await child.stop();
    throw new Error(`the searcher connected ${report.connected} of ${SEARCHER_CONNECTIONS} connections`);
  }
  return child;
}

/** Splits `total` into `parts` nearly equal shares. */
export function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/** Runs `step` on every worker at once. */
export function onAll<T>(
  workers: readonly Worker[],
  step: (worker: Worker, index: number) => Promise<T>,
): Promise<T[]> {
  return Promise.all(workers.map(step));
}

/** Growth between two memory readings per item, in KiB. */
export function kibPer(before: MemoryReading, after: MemoryReading, items: number): { rss: number; heap: number } {
  return {
    rss: round((after.rssBytes - before.rssBytes) / 1024 / items, 2),
    heap: round((after.heapUsedBytes - before.heapUsedBytes) / 1024 / items, 2),
  };
}

/**
 * Connects `plan.peers` peers over the workers with `method` in two steps, `plan.warmupPeers` first, reading the
 * tracker's memory after each: per-peer figures are over the peers of the second step (see
 * {@link TrackerBenchPlan.warmupPeers}).
 */
export async function connectMeasured(
  workers: readonly Worker[],
  method: 'connectShoal' | 'connectBittorrent',
  url: string,
  plan: TrackerBenchPlan,
  readMemory: () => Promise<MemoryReading>,
): Promise<{ connect: ConnectFigures; measuredPeers: number; before: MemoryReading; after: MemoryReading }> {
  let seconds = 0;
  let failed = 0;
  const connectShare = async (count: number): Promise<number> => {
    const started = performance.now();
    const step = await connectAll(workers, (worker, index) =>
      worker.call(method, {
        url,
        count: share(count, workers.length, index),
        concurrency: plan.connectConcurrency,
        worker: index,
      }),
    );
    seconds += (performance.now() - started) / 1000;
    failed += step.failed;
    return step.peers; // the workers report every client they hold, not only this step's
  };
  const warmedUp = await connectShare(plan.warmupPeers);
  const before = await readMemory();
  const peers = await connectShare(plan.peers - plan.warmupPeers);
  const after = await readMemory();
  const connect = { peers, failed, perSecond: Math.round(peers / seconds) };
  return { connect, measuredPeers: peers - warmedUp, before, after };
}

/** Sums up the connect reports of all workers. */
export async function connectAll(
  workers: readonly Worker[],
  connect: (worker: Worker, index: number) => Promise<ConnectReport>,
): Promise<ConnectFigures> {
  const started = performance.now();
  const reports = await onAll(workers, connect);
  const seconds = (performance.now() - started) / 1000;
  const peers = reports.reduce((sum, report) => sum + report.connected, 0);
  const failed = reports.reduce((sum, report) => sum + report.failed, 0);
  return { peers, failed, perSecond: Math.round(peers / seconds) };
}

/** Rate per second of the tracker's CPU time: steadier than the rate itself when the VM gives it less CPU. */
function perCpuSecond(perSecond: number, trackerCpuPercent: number): number {
  return trackerCpuPercent > 0 ? Math.round(perSecond / (trackerCpuPercent / 100)) : Number.NaN;
}

/** One announce run on every worker at once, timed as a whole. */
export async function announceAll(
  server: Server,
  workers: readonly Worker[],
  announce: (worker: Worker) => Promise<AnnounceReport>,
): Promise<Omit<AnnounceFigures, 'runsPerSecond'>> {
  const started = performance.now();
  const { value: reports, ...cpu } = await withCpu(server, workers, () => onAll(workers, announce));
  const seconds = (performance.now() - started) / 1000;
  const requests = reports.reduce((sum, report) => sum + report.requests, 0);
  const errors: Record<string, number> = {};
  for (const report of reports) mergeCounts(errors, report.errors);
  const { p50Ms, p99Ms } = latencySummary(reports.flatMap((report) => report.latenciesMs));
  const requestsPerSecond = Math.round(requests / seconds);
  return {
    requestsPerRun: requests,
    requestsPerSecond,
    requestsPerTrackerCpuSecond: perCpuSecond(requestsPerSecond, cpu.trackerCpuPercent),
    p50Ms,
    p99Ms,
    errors,
    ...cpu,
  };
}

/** The run with the highest rate, with every run's rate. */
export function bestOf<T>(runs: readonly T[], rate: (run: T) => number): T & { runsPerSecond: number[] } {
  const best = runs.reduce((a, b) => (rate(b) > rate(a) ? b : a));
  return { ...best, runsPerSecond: runs.map(rate) };
}

/** CPU use of the tracker, of each worker and of everything else over a step. */
export async function withCpu<T>(
  server: Server,
  workers: readonly Worker[],
  step: () => Promise<T>,
): Promise<CpuFigures & { value: T }> {
  const readAll = (): Promise<CpuReading[]> =>
    Promise.all([server.call('cpu', null), ...workers.map((worker) => worker.call('cpu', null))]);
  const before = await readAll();
  const systemBefore = readSystemCpu();
  const value = await step();
  const systemAfter = readSystemCpu();
  const after = await readAll();
  const percents = before.map((reading, i) => cpuPercent(reading, after[i] as CpuReading));
  const ours = percents.reduce((sum, percent) => sum + percent, 0);
  const machine =
    systemBefore && systemAfter ? systemCpuPercent(systemBefore, systemAfter, os.cpus().length) : Number.NaN;
  return {
    value,
    trackerCpuPercent: round(percents[0] ?? Number.NaN, 0),
    workerCpuPercent: percents.slice(1).map((percent) => round(percent, 0)),
    othersCpuPercent: round(Math.max(0, machine - ours), 0),
  };
}

/** Runs one relay configuration on every worker at once and sums up. */
export async function relayOnAll(
  server: Server,
  workers: readonly Worker[],
  method: 'relayShoal' | 'relayBittorrent',
  params: Omit<RelayParams, 'pairs'>,
  totalPairs: number,
): Promise<RelayFigures> {
  const { value, ...cpu } = await withCpu(server, workers, () =>
    onAll(workers, (worker, index) =>
      worker.call(method, { ...params, pairs: share(totalPairs, workers.length, index) }),
    ),
  );
  const reports: RelayReport[] = value;
  const errors: Record<string, number> = {};
  let delivered = 0;
  let mismatched = 0;
  const latencies: number[] = [];
  for (const report of reports) {
    delivered += report.delivered;
    mismatched += report.mismatched;
    mergeCounts(errors, report.errors);
    for (const latency of report.latenciesMs) latencies.push(latency);
  }
  const { p50Ms, p99Ms, maxMs } = latencySummary(latencies);
  const signalsPerSecond = Math.round(delivered / (params.durationMs / 1000));
  return {
    signalsPerSecond,
    signalsPerTrackerCpuSecond: perCpuSecond(signalsPerSecond, cpu.trackerCpuPercent),
    p50Ms,
    p99Ms,
    maxMs,
    pairs: totalPairs,
    window: params.window,
    mismatched,
    errors,
    ...cpu,
  };
}
