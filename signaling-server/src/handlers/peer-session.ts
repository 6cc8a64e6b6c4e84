import { BROWSE_RATE_LIMIT, RATE_LIMITS } from '@shoal/common';
import { TokenBucket } from '../rate-limiter.ts';
import type { TrackerSocket } from './types.ts';

/** The per-connection rate limits. */
export type LimitName = 'requests' | 'signals' | 'browse';

const LIMITS = { ...RATE_LIMITS, browse: BROWSE_RATE_LIMIT };

/**
 * What the tracker keeps for one connection besides its socket: its rate-limit buckets, each made on first use (a
 * page that only ever searches never pays for a signal bucket), and its browse requests waiting for an answer.
 */
export class PeerSession {
  /** `peers:browse` requests of this connection waiting for the browsed page's answer. */
  pendingBrowses = 0;
  private requests?: TokenBucket;
  private signals?: TokenBucket;
  private browse?: TokenBucket;

  constructor(private readonly now?: () => number) {}

  /** Takes a token from the named bucket; `false` means the event should be refused. */
  take(limit: LimitName): boolean {
    return (this[limit] ??= new TokenBucket(LIMITS[limit], this.now)).take();
  }
}

/** The connection's session, made on its first event: a peer that connects and stays idle holds none. */
export function sessionOf(socket: TrackerSocket, now?: () => number): PeerSession {
  return (socket.data.session ??= new PeerSession(now));
}
