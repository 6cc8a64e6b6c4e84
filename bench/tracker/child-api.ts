/** What the benchmark's child processes answer: the tracker processes and the load workers. */
import type { BenchQuery } from './filtered-queries.ts';

/** `process.memoryUsage()` after forced garbage collection, in bytes. */
export interface MemoryReading {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
}

/** Cumulative CPU time of a process and a timestamp, for utilisation over an interval. */
export interface CpuReading {
  userMicros: number;
  systemMicros: number;
  atMs: number;
}

/** Garbage-collection pauses of one kind over an interval. */
export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** A process's GC pauses since its previous reading: young generation (scavenges) and old generation. */
export interface GcPauseReading {
  scavenges: GcPauses;
  /** Mark-compacts, incremental marking steps and weak-callback processing. */
  fullGcs: GcPauses;
}

/** What a tracker child reports once it listens. */
export interface ServerInfo {
  port: number;
}

/** Methods of both tracker children (Shoal and bittorrent-tracker). */
export interface ServerApi {
  memory(params: { gc: boolean }): MemoryReading;
  cpu(params: null): CpuReading;
  /** Shoal: registry peers and files; bittorrent-tracker: swarms and peers in them. */
  counts(params: null): Promise<Record<string, number>>;
  /** Shoal only: runs each query against the registry in-process (no sockets), timing each. */
  registrySearch(params: { queries: BenchQuery[]; repeat: number }): Promise<SearchReport>;
  /** Shoal only: its GC pauses since the previous call. */
  gcPauses(params: null): GcPauseReading;
}

/** Latencies and match counts of a list of searches. */
export interface SearchReport {
  latenciesMs: number[];
  /** Total matches of each query, in query order. */
  totals: number[];
  errors: Record<string, number>;
}

/** Connecting load clients. */
export interface ConnectParams {
  url: string;
  count: number;
  /** Handshakes in flight at once. */
  concurrency: number;
  /** This worker's number, to make peer ids unique across workers (bittorrent-tracker). */
  worker: number;
}

export interface ConnectReport {
  connected: number;
  failed: number;
  ms: number;
}

/** Repeated announces: every client sends `rounds` requests, one at a time. */
export interface AnnounceParams {
  rounds: number;
  /** Shoal: the files replicated by each client come from the first `baseFiles` file numbers. */
  baseFiles: number;
  /** bittorrent-tracker: clients per swarm. */
  swarmSize: number;
}

export interface AnnounceReport {
  requests: number;
  ms: number;
  latenciesMs: number[];
  errors: Record<string, number>;
}

/** Registration of distinct files by the first `peers` clients of a worker. */
export interface RegistrationPlan {
  peers: number;
  filesPerPeer: number;
  /** File number of this worker's first file. */
  firstFile: number;
  /** Files per `files:register` call. */
  batchSize: number;
}

export interface RegistrationReport {
  files: number;
  batches: number;
  ms: number;
  /** Acknowledgement latency of each batch. */
  latenciesMs: number[];
  errors: Record<string, number>;
}

/** How signals are relayed between pairs of clients. */
export type RelayMode =
  /** One-way stream of trickled ICE candidates from the first to the second client of each pair. */
  | 'candidate'
  /** The first client sends an SDP offer, the second answers it when it arrives (WebTorrent's exchange). */
  | 'offer-answer';

export interface RelayParams {
  mode: RelayMode;
  /** Pairs driven by this worker (its first 2 * pairs clients). */
  pairs: number;
  /** Signals each sending client may send per second (below the tracker's per-connection limit). */
  ratePerSender: number;
  /** Exchanges per pair sent and not yet delivered; caps queueing when saturating. */
  window: number;
  warmupMs: number;
  durationMs: number;
}

export interface RelayReport {
  /** Signals delivered to their target within the measured interval. */
  delivered: number;
  /** Send to receipt, of signals delivered within the measured interval. */
  latenciesMs: number[];
  /** Signals that arrived out of order or unexpected. */
  mismatched: number;
  /** Shoal's `signal:failed` pushes or bittorrent-tracker's failure messages, by code. */
  errors: Record<string, number>;
  measuredMs: number;
}

/** Methods of a load worker; it drives either Shoal clients or bittorrent-tracker clients at a time. */
export interface WorkerApi {
  connectShoal(params: ConnectParams): Promise<ConnectReport>;
  connectBittorrent(params: ConnectParams): Promise<ConnectReport>;
  announceShoal(params: AnnounceParams): Promise<AnnounceReport>;
  announceBittorrent(params: AnnounceParams): Promise<AnnounceReport>;
  relayShoal(params: RelayParams): Promise<RelayReport>;
  relayBittorrent(params: RelayParams): Promise<RelayReport>;
  /** Builds the registration batches (untimed); {@link WorkerApi.runRegistration} sends them. */
  prepareRegistration(params: RegistrationPlan): { files: number };
  runRegistration(params: { concurrency: number }): Promise<RegistrationReport>;
  search(params: { queries: BenchQuery[]; concurrency: number }): Promise<SearchReport>;
  disconnectShoal(params: null): Promise<void>;
  disconnectBittorrent(params: null): Promise<void>;
  cpu(params: null): CpuReading;
  /** This worker's GC pauses since the previous call. */
  gcPauses(params: null): GcPauseReading;
}
