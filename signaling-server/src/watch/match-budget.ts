import type { RateLimit } from '../rate-limiter.ts';

/**
 * A token bucket told the time by its caller: the watch hub reads the clock once per file and asks many budgets.
 * It keeps the time its next token is due, so asking whether one is there is one comparison.
 */
export class MatchBudget {
  private tokens: number;
  /** When it was last refilled; it starts full whatever the clock says. */
  private last = -Infinity;
  /** When the next token is there: not before this time (-Infinity while one is). */
  private readyAt = -Infinity;

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.burst;
  }

  /** Whether a token is there at `now`. */
  available(now: number): boolean {
    return now >= this.readyAt;
  }

  /** When the next token is there: the time from which {@link available} is true (-Infinity while one is). */
  nextAt(): number {
    return this.readyAt;
  }

  /** Whether it has refilled to its whole burst at `now`: then it is as good as a new one. */
  full(now: number): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.limit.perSecond >= this.limit.burst;
  }

  /** Takes a token if one is there at `now`. */
  take(now: number): boolean {
    if (now < this.readyAt) return false;
    if (now > this.last) {
      this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
      this.last = now;
    }
    // Refills are summed in floating point; a hair of tolerance keeps the rate exact (as in the rate limiter).
    if (this.tokens < 1 - 1e-9) return false;
    this.tokens = Math.max(0, this.tokens - 1);
    this.readyAt = this.tokens >= 1 - 1e-9 ? -Infinity : now + ((1 - this.tokens) * 1000) / this.limit.perSecond;
    return true;
  }
}
