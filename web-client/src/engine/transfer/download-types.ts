/** What a download shows of itself. */

export type DownloadStatus =
  'connecting' | 'downloading' | 'queued' | 'waiting' | 'paused' | 'saving' | 'complete' | 'failed' | 'cancelled';

/** How much one peer gave this download. */
export interface SourceContribution {
  peerId: string;
  /** Verified bytes received from it. */
  bytes: number;
  connected: boolean;
}

/** A holder that has no upload slot for this download yet, and our place in its queue (1 is next). */
export interface QueuePlace {
  peerId: string;
  place: number;
}

/** What the UI shows of a download. */
export interface DownloadSnapshot {
  status: DownloadStatus;
  /** File size: the verified manifest's once known, the listing's before. */
  totalBytes: number;
  verifiedBytes: number;
  bytesPerSecond: number;
  /** Estimated seconds left, null when unknown. */
  secondsLeft: number | null;
  /** Peers currently connected for this download. */
  peers: number;
  /** Every peer that sent verified data, most first. */
  sources: SourceContribution[];
  /** Holders that queue this download, lowest place first (it takes pieces from the others meanwhile). */
  queue: QueuePlace[];
  /** A sentence on what is happening (why it waits, why it failed). */
  message: string;
}
