import { hasBit } from '@shoal/common';

/** Requests for one piece at once during the endgame (the original plus duplicates). */
const MAX_ENDGAME_REQUESTS = 2;

/**
 * Which piece to ask a peer for next: rarest first among the connected peers, random among equals, and in the
 * endgame (nothing left that nobody was asked for) a duplicate request for a piece still in flight elsewhere.
 * Pure bookkeeping, no I/O: pieces are missing, requested (by one or more peers) or done.
 */
export class PiecePicker {
  private readonly done: Uint8Array;
  /** Outstanding requests per piece. */
  private readonly requests: Uint8Array;
  /** Connected peers with a bitfield holding each piece. */
  private readonly availability: Uint16Array;
  /** Connected peers holding every piece (counted once here instead of in every slot of `availability`). */
  private completePeers = 0;
  private doneCount = 0;

  constructor(
    readonly count: number,
    private readonly random: () => number = Math.random,
  ) {
    this.done = new Uint8Array(count);
    this.requests = new Uint8Array(count);
    this.availability = new Uint16Array(count);
  }

  get completed(): number {
    return this.doneCount;
  }

  get isComplete(): boolean {
    return this.doneCount === this.count;
  }

  isDone(index: number): boolean {
    return this.done[index] === 1;
  }

  /** A peer connected; `bitfield` null means it holds every piece. */
  addPeer(bitfield: Uint8Array | null): void {
    if (bitfield === null) this.completePeers++;
    else for (let i = 0; i < this.count; i++) if (hasBit(bitfield, i)) this.availability[i]!++;
  }

  /** A peer left; pass the bitfield it had at that moment. */
  removePeer(bitfield: Uint8Array | null): void {
    if (bitfield === null) this.completePeers = Math.max(0, this.completePeers - 1);
    else
      for (let i = 0; i < this.count; i++)
        if (hasBit(bitfield, i) && this.availability[i]! > 0) this.availability[i]!--;
  }

  /** A connected peer announced a new piece. */
  peerGained(index: number): void {
    if (index >= 0 && index < this.count) this.availability[index]!++;
  }

  /** A connected peer turned out not to have a piece it announced. */
  peerLost(index: number): void {
    if (index >= 0 && index < this.count && this.availability[index]! > 0) this.availability[index]!--;
  }

  /** Peers known to hold piece `index` (complete ones included). */
  holdersOf(index: number): number {
    return this.completePeers + (this.availability[index] ?? 0);
  }

  /** Pieces no connected peer holds and nobody has yet: what the download waits for. */
  unavailable(): number {
    if (this.completePeers > 0) return 0;
    let missing = 0;
    for (let i = 0; i < this.count; i++) if (this.done[i] === 0 && this.availability[i] === 0) missing++;
    return missing;
  }

  /**
   * The next piece to request from a peer that has the pieces `has` says and already asked for those
   * `askedAlready` says; marks it requested. Rarest first; among equals `continuing` (the piece after the last one
   * asked of this peer) if it is one of them, else a random one; in the endgame, a piece in flight elsewhere with the
   * fewest requests. Null when there is nothing this peer can usefully fetch.
   *
   * Continuing a run keeps what a peer is asked for in file order, which its storage reads ahead for (one read per
   * run, not per piece); runs still start at random places, so downloaders of one file still hold different pieces
   * to trade.
   */
  next(
    has: (index: number) => boolean = () => true,
    askedAlready: (index: number) => boolean = () => false,
    continuing = -1,
  ): number | null {
    let best = -1;
    let bestRarity = Infinity;
    let ties = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.done[i] === 1 || this.requests[i] !== 0 || !has(i)) continue;
      const rarity = this.holdersOf(i);
      if (rarity < bestRarity) {
        best = i;
        bestRarity = rarity;
        ties = 1;
      } else if (rarity === bestRarity && this.random() * ++ties < 1) {
        best = i; // reservoir sampling: each equal candidate ends up chosen with the same chance
      }
    }
    if (
      best >= 0 &&
      continuing >= 0 &&
      continuing < this.count &&
      this.done[continuing] === 0 &&
      this.requests[continuing] === 0 &&
      this.holdersOf(continuing) === bestRarity &&
      has(continuing)
    ) {
      best = continuing;
    }
    if (best < 0) best = this.endgamePick(has, askedAlready);
    if (best < 0) return null;
    this.requests[best]!++;
    return best;
  }

  /** Endgame: the in-flight piece this peer has and has not asked for, with the fewest requests so far. */
  private endgamePick(has: (index: number) => boolean, askedAlready: (index: number) => boolean): number {
    let best = -1;
    for (let i = 0; i < this.count; i++) {
      const requests = this.requests[i]!;
      if (this.done[i] === 1 || requests === 0 || requests >= MAX_ENDGAME_REQUESTS || !has(i) || askedAlready(i))
        continue;
      if (best < 0 || requests < this.requests[best]!) best = i;
    }
    return best;
  }

  /** One request for `index` failed, was rejected or cancelled. */
  release(index: number): void {
    if (this.done[index] === 0 && this.requests[index]! > 0) this.requests[index]!--;
  }

  /** Piece `index` arrived and verified. Returns false if it was already done. */
  complete(index: number): boolean {
    if (index < 0 || index >= this.count || this.done[index] === 1) return false;
    this.done[index] = 1;
    this.requests[index] = 0;
    this.doneCount++;
    return true;
  }
}
