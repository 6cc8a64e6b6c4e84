/** Knobs of a download; tests shorten the timers. */
export interface DownloadTuning {
  /** Fewest and most pieces requested from one peer at a time; between them, sized to the peer's speed. */
  minPipeline: number;
  maxPipeline: number;
  /** Seconds of a peer's measured throughput to keep requested, so its channel never idles between pieces. */
  pipelineSeconds: number;
  /** Peers one download talks to at once. */
  maxPeers: number;
  /** A peer with requests outstanding that sends nothing for this long is dropped; its requests go elsewhere. */
  stallMs: number;
  /** How often a waiting download asks the tracker for holders again. */
  retryMs: number;
  /** Pieces failing verification before a peer is dropped for this download. */
  maxBadPieces: number;
  /** Period of the housekeeping tick (stall checks, speed refresh). */
  tickMs: number;
  /** While downloading with room for more peers, how often to ask the tracker for more holders. */
  moreHoldersEveryMs: number;
}

export const DEFAULT_DOWNLOAD_TUNING: DownloadTuning = {
  minPipeline: 4,
  maxPipeline: 16,
  pipelineSeconds: 0.5,
  maxPeers: 5,
  stallMs: 12_000,
  retryMs: 3_000,
  maxBadPieces: 3,
  tickMs: 1_000,
  moreHoldersEveryMs: 5_000,
};
