/** Relay throughput target (signals per second), from issue 3; the paced relay runs offer fractions of it. */
export const RELAY_TARGET_PER_SECOND = 20_000;

/** How much load each tracker benchmark phase applies, in full and quick runs. */
export interface TrackerBenchPlan {
  /** Load-generating child processes. */
  workers: number;
  /** Connected peers held at once (split over the workers). */
  peers: number;
  /**
   * Of them, the peers connected before memory is first read: what a tracker costs whatever it holds (code compiled,
   * the young generation grown to its working size) is paid by then, so the rest measure what one more peer costs.
   */
  warmupPeers: number;
  /** Handshakes in flight at once per worker. */
  connectConcurrency: number;
  /** Peers that each register `filesPerPeer` distinct files: the registry searched afterwards. */
  registeringPeers: number;
  filesPerPeer: number;
  /** `files:register` calls in flight at once per worker. */
  registerConcurrency: number;
  /** Alternated runs of each measure compared with the baseline (and of the saturating relay); the best counts. */
  comparisonRuns: number;
  /** Announces (Shoal: re-registering one file) per peer, one at a time, within the burst of the rate limit. */
  announceRounds: number;
  /** bittorrent-tracker peers per swarm in the announce phase. */
  swarmSize: number;
  /** Pairs of peers relaying signals (split over the workers). */
  relayPairs: number;
  /** Signals per second per sending peer: under the tracker's 200/s per-connection limit. */
  relayRatePerSender: number;
  /** Undelivered exchanges per pair in the saturating offer/answer runs: an offer waits for its answer. */
  relayWindow: number;
  /**
   * Undelivered candidates per pair in the saturating candidate runs. A browser trickles the candidates it gathers
   * back to back, not one per round trip: Chromium here gathers two host candidates within a millisecond.
   */
  trickleBurst: number;
  relayWarmupMs: number;
  relayDurationMs: number;
  /** Queries per kind, measured; plus warm-up queries first. */
  queriesPerKind: number;
  warmupQueries: number;
}

export const FULL_PLAN: TrackerBenchPlan = {
  workers: 2,
  peers: 10_000,
  warmupPeers: 1_000,
  connectConcurrency: 100,
  registeringPeers: 1000,
  filesPerPeer: 1000,
  registerConcurrency: 16,
  comparisonRuns: 2,
  announceRounds: 3,
  swarmSize: 10,
  relayPairs: 500,
  relayRatePerSender: 190,
  relayWindow: 1,
  trickleBurst: 2,
  relayWarmupMs: 1500,
  relayDurationMs: 6000,
  queriesPerKind: 1500,
  warmupQueries: 300,
};

export const QUICK_PLAN: TrackerBenchPlan = {
  ...FULL_PLAN,
  peers: 2000,
  warmupPeers: 200,
  registeringPeers: 100,
  relayPairs: 300,
  relayWarmupMs: 1000,
  relayDurationMs: 3000,
  queriesPerKind: 500,
  warmupQueries: 150,
};
