import type { PeerId } from '@shoal/common';
import type { RateLimit } from '../rate-limiter.ts';
import { MatchBudget } from './match-budget.ts';

/**
 * One watched target's allowance of matches, shared fairly among the peers whose files match it: a match takes a
 * token from the target's bucket and one from its registrant's smaller bucket, so a peer flooding registrations that
 * match a popular query spends its own share, and the rest of the allowance stays for everyone else's files.
 *
 * Bounded memory: a registrant's bucket is made only when it is admitted a match, and one back to its whole burst is
 * as good as none, so it is dropped when room is needed. Only registrants admitted within one refill of a share can
 * hold a partly spent bucket, and the target's own bucket admits at most `burst + perSecond * refill` of them in that
 * time: that many buckets (plus one) are kept at most, and a spent one is never forgotten early.
 */
export class FairMatchBudget {
  private readonly total: MatchBudget;
  private readonly shares = new Map<PeerId, MatchBudget>();
  private readonly maxShares: number;

  constructor(
    limit: RateLimit,
    private readonly share: RateLimit,
  ) {
    this.total = new MatchBudget(limit);
    const refillSeconds = share.burst / share.perSecond;
    this.maxShares = Math.ceil(limit.burst + limit.perSecond * refillSeconds) + 1;
  }

  /** Whether the target has a token at `now`, whoever asks: if not, no file need even be checked against it. */
  available(now: number): boolean {
    return this.total.available(now);
  }

  /** When the target has a token again, whoever asks (-Infinity while it has one). */
  nextAt(): number {
    return this.total.nextAt();
  }

  /** Whether a file of `registrant` could take a token at `now`. */
  availableTo(registrant: PeerId, now: number): boolean {
    return this.total.available(now) && (this.shares.get(registrant)?.available(now) ?? true);
  }

  /** Takes a token of the target and one of `registrant`'s share, both or neither. */
  take(registrant: PeerId, now: number): boolean {
    if (!this.availableTo(registrant, now)) return false;
    let share = this.shares.get(registrant);
    if (!share) {
      this.makeRoom(now);
      share = new MatchBudget(this.share);
      this.shares.set(registrant, share);
    }
    share.take(now);
    return this.total.take(now);
  }

  /** Registrants with a bucket of their own now; for tests. */
  tracked(): number {
    return this.shares.size;
  }

  private makeRoom(now: number): void {
    if (this.shares.size < this.maxShares) return;
    for (const [registrant, share] of this.shares) if (share.full(now)) this.shares.delete(registrant);
    // Never needed by the bound above; kept so that rounding can never let the map grow.
    if (this.shares.size >= this.maxShares) this.shares.delete(this.shares.keys().next().value as PeerId);
  }
}
