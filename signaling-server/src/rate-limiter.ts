/** A sustained rate and a burst allowance. */
export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Most tokens held at once: how many events may arrive back to back. */
  burst: number;
}

/** A token bucket: each event takes a token; tokens refill continuously up to the burst size. */
export interface TokenBucket {
  /** Takes one token if there is one; `false` means the event should be refused. */
  take(): boolean;
}

/**
 * Creates a full token bucket. `now` returns milliseconds (monotonic by default), injectable so tests need no sleeps.
 */
export function createTokenBucket(limit: RateLimit, now: () => number = () => performance.now()): TokenBucket {
  let tokens = limit.burst;
  let last = now();
  return {
    take(): boolean {
      const time = now();
      tokens = Math.min(limit.burst, tokens + ((time - last) / 1000) * limit.perSecond);
      last = time;
      // Refills are summed in floating point (ten tenths make 0.999…); a hair of tolerance keeps the rate exact.
      if (tokens < 1 - 1e-9) return false;
      tokens = Math.max(0, tokens - 1);
      return true;
    },
  };
}
