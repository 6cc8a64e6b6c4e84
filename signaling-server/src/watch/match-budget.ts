import type { RateLimit } from '../rate-limiter.ts';

/**
 * A token bucket told the time by its caller: the watch hub reads the clock once per file and asks many budgets, and
 * can ask whether a token is there before it does the work a token would pay for.
 */
export class MatchBudget {
  private tokens: number;
  /** When it was last refilled; it starts full whatever the clock says. */
  private last = -Infinity;

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.burst;
  }

  /** Whether a token is there at `now` (refilling up to then). */
  available(now: number): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
      this.last = now;
    }
    // Refills are summed in floating point; a hair of tolerance keeps the rate exact (as in the rate limiter).
    return this.tokens >= 1 - 1e-9;
  }

  /** Takes a token if one is there at `now`. */
  take(now: number): boolean {
    if (!this.available(now)) return false;
    this.tokens = Math.max(0, this.tokens - 1);
    return true;
  }
}
