/** The figures the tracker benchmark reports (the `tracker` part of `bench/results.json`). */
import type { GcPauseReading, MemoryReading } from './child-api.ts';
import type { FilteredQueryKind } from './filtered-queries.ts';
import type { QueryKind } from './queries.ts';
import { round } from './stats.ts';

/** Connecting the load clients. */
export interface ConnectFigures {
  peers: number;
  failed: number;
  perSecond: number;
}

/** Process memory in MiB, for the record. */
export interface MemoryMiB {
  rssMiB: number;
  heapUsedMiB: number;
}

export function mib(reading: MemoryReading): MemoryMiB {
  return { rssMiB: round(reading.rssBytes / 2 ** 20, 1), heapUsedMiB: round(reading.heapUsedBytes / 2 ** 20, 1) };
}

/** Tracker memory growth per connected peer, after forced garbage collection. */
export interface PeerMemoryFigures {
  peers: number;
  /** The peers the per-peer figures are over: those connected after the first reading (`before`). */
  measuredPeers: number;
  memoryPerPeerKiB: number;
  heapPerPeerKiB: number;
  before: MemoryMiB;
  after: MemoryMiB;
}

/** CPU use over a step, in percent of one core. */
export interface CpuFigures {
  trackerCpuPercent: number;
  workerCpuPercent: number[];
  /**
   * Everything else on the machine (this runner, other people's jobs on a shared VM): machine-wide busy time less
   * the tracker's and the workers'. Much above a few percent means the figures were taken on a busy machine. CPU
   * the hypervisor withholds from the VM is not seen here: compare the per-tracker-CPU-second rates too.
   */
  othersCpuPercent: number;
}

/** Every client announcing a few times in a row; the best of alternated runs (the VM is noisy). */
export interface AnnounceFigures extends CpuFigures {
  requestsPerRun: number;
  requestsPerSecond: number;
  /** Requests answered per second of the tracker's CPU time. */
  requestsPerTrackerCpuSecond: number;
  runsPerSecond: number[];
  /** Latency in the best run; all clients start at once, so this is mostly queueing. */
  p50Ms: number;
  p99Ms: number;
  errors: Record<string, number>;
}

/** One relay run over all workers. */
export interface RelayFigures extends CpuFigures {
  signalsPerSecond: number;
  /** Signals delivered per second of the tracker's CPU time. */
  signalsPerTrackerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  pairs: number;
  /** Undelivered exchanges each pair kept (at most). */
  window: number;
  mismatched: number;
  errors: Record<string, number>;
}

/** The best of several saturating relay runs, with every run's rate. */
export type BestRelayFigures = RelayFigures & { runsPerSecond: number[] };

/** A relay run paced at a fixed offered rate. */
export type PacedRelayFigures = RelayFigures & { offeredPerSecond: number };

export interface RegistrationFigures {
  peers: number;
  filesPerPeer: number;
  batchSize: number;
  files: number;
  registrationsPerSecond: number;
  batchP50Ms: number;
  batchP99Ms: number;
  trackerCpuPercent: number;
  othersCpuPercent: number;
  errors: Record<string, number>;
}

export interface RegistryFigures {
  files: number;
  peers: number;
  heapBytesPerFile: number;
  /** Bytes outside the JS heap per file: the search index's sorted slot lists are typed arrays. */
  externalBytesPerFile: number;
  memory: MemoryMiB;
}

/** Search figures of one kind of query. */
export interface SearchFigures {
  queries: number;
  /** End to end: `files:search` emitted by a client to its acknowledgement, one query at a time. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** `MemoryRegistry.search` called in the tracker process, no sockets: the same queries on the same registry. */
  registryP50Ms: number;
  registryP99Ms: number;
  /** Total matches per query. */
  matches: { median: number; p90: number; max: number; zeroShare: number };
  queriesPerSecond: number;
  examples: string[];
  /** The slowest queries in the registry, for whoever tunes the index. */
  slowest: { query: string; ms: number; matches: number }[];
  /** CPU used by other processes during the end-to-end searches (see {@link CpuFigures}). */
  othersCpuPercent: number;
  /**
   * GC pauses during the end-to-end searches: in the tracker, and in the searcher that sent them (a process of its
   * own, see `startSearcher`). A search that waited for one took that much longer.
   */
  trackerGc: GcPauseReading;
  clientGc: GcPauseReading;
  errors: Record<string, number>;
}

export type SearchSummary = Record<QueryKind, SearchFigures> & {
  /** Queries with filters (type, size, phrases, exclusions, filters alone) or another order than relevance. */
  filtered: Record<FilteredQueryKind, SearchFigures>;
  /** End-to-end and in-registry searches found the same match counts. */
  totalsAgree: boolean;
};

export interface ShoalFigures {
  connect: ConnectFigures;
  memory: PeerMemoryFigures;
  announce: AnnounceFigures;
  relay: BestRelayFigures & {
    /** Paced at a quarter and half of the target rate. */
    atQuarterRate: PacedRelayFigures & { runsP99Ms: number[] };
    atHalfRate: PacedRelayFigures & { runsP99Ms: number[] };
    offerAnswer: BestRelayFigures;
  };
  registration: RegistrationFigures;
  registry: RegistryFigures;
  search: SearchSummary;
}

export interface BittorrentFigures {
  version: string;
  connect: ConnectFigures;
  /** After each peer announced into a swarm of `swarmSize`. */
  memory: PeerMemoryFigures & {
    swarmSize: number;
    /** Connected only, before any announce. */
    connectedOnlyPerPeerKiB: number;
    connectedOnlyHeapPerPeerKiB: number;
  };
  announce: AnnounceFigures;
  relay: BestRelayFigures;
}

/** The baseline, or why it was not measured. */
export type BaselineFigures = BittorrentFigures | { skipped: string };
