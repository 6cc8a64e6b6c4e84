/** A sustained rate and a burst allowance. */
export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Most tokens held at once: how many events may arrive back to back. */
  burst: number;
}

/**
 * A token bucket: each event takes a token; tokens refill continuously up to the burst size. A class rather than a
 * closure: the tracker holds a few per connection, and an instance is a handful of fields.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /** Starts full. `now` returns milliseconds (monotonic by default), injectable so tests need no sleeps. */
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = performanceNow,
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }

  /** Takes one token if there is one; `false` means the event should be refused. */
  take(): boolean {
    const time = this.now();
    const { burst, perSecond } = this.limit;
    this.tokens = Math.min(burst, this.tokens + ((time - this.last) / 1000) * perSecond);
    this.last = time;
    // Refills are summed in floating point (ten tenths make 0.999…); a hair of tolerance keeps the rate exact.
    if (this.tokens < 1 - 1e-9) return false;
    this.tokens = Math.max(0, this.tokens - 1);
    return true;
  }
}

function performanceNow(): number {
  return performance.now();
}
