/**
 * The Redis keys of one Shoal deployment. All share one hash tag (`{shoal}` by default), so they live in one slot of
 * a Redis cluster and the Lua scripts and transactions that touch several of them are allowed there.
 */
export interface Keys {
  /** Stream: the command log every tracker applies in order. */
  log: string;
  /** String: a random id written once per data set; a different or missing one means Redis lost its data. */
  epoch: string;
  /** Sorted set: tracker id -> the time (Redis clock, ms) its lease runs out. */
  trackers: string;
  /** Sorted set: tracker id -> when survivors removed it (kept an hour, so it is removed once). */
  gone: string;
  /** Hash: `id` (the log position it reflects) and `data` (every peer and its holdings, JSON). */
  snapshot: string;
  /** String with a TTL: which tracker is writing a snapshot. */
  snapshotLock: string;
  /** Stream and channel prefix of the Socket.IO adapter (signal relay between trackers). */
  adapterStream: string;
}

/** The default prefix: a hash tag, so every key maps to one cluster slot. */
export const DEFAULT_PREFIX = '{shoal}:';

export function keysFor(prefix = DEFAULT_PREFIX): Keys {
  return {
    log: `${prefix}log`,
    epoch: `${prefix}epoch`,
    trackers: `${prefix}trackers`,
    gone: `${prefix}gone`,
    snapshot: `${prefix}snapshot`,
    snapshotLock: `${prefix}snapshot-lock`,
    adapterStream: `${prefix}socket.io`,
  };
}
