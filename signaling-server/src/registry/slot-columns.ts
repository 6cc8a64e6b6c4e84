import type { PairSignature } from './word-pairs.ts';

/**
 * What a search reads for every match, by slot, in typed arrays: a match costs a few reads of packed memory (in slot
 * order when the match lists are sorted) instead of hash lookups and objects.
 */
export class SlotColumns {
  /** `rankKey` of the file: its rank among equal matches. */
  rank = new Float64Array(0);
  /** `rankTail` of the file: its order among files of equal `rank`, before their names are compared. */
  rankTail = new Float64Array(0);
  /** Size in bytes, as the file is shown. */
  size = new Float64Array(0);
  /** When the content was first registered (milliseconds since the epoch). */
  firstSeen = new Float64Array(0);
  /** Complete and partial holders together. */
  sources = new Int32Array(0);
  /** Bit `i` set when one of its holders' names or types makes it a file of kind `i` (see `FILE_KINDS`). */
  kinds = new Uint8Array(0);
  /** The id of its names' one extension; 0 when none has one; -1 when they have several (or an unnumbered one). */
  extension = new Int32Array(0);
  /**
   * The two halves of its names' word-pair signature (see `word-pairs.ts`), side by side: low at `2 * slot`, high
   * next. A phrase reads both for each of up to a hundred thousand candidates: one cache line, one miss, not two.
   */
  pairs = new Int32Array(0);

  /** The word-pair signature of `slot`'s names (the hot paths read {@link pairs} in place instead). */
  pairsOf(slot: number): PairSignature {
    return { low: this.pairs[slot * 2] as number, high: this.pairs[slot * 2 + 1] as number };
  }

  setPairs(slot: number, signature: PairSignature): void {
    this.pairs[slot * 2] = signature.low;
    this.pairs[slot * 2 + 1] = signature.high;
  }

  /** Makes room for `slot`. */
  ensure(slot: number): void {
    if (slot < this.rank.length) return;
    const capacity = Math.max(1024, slot + 1, Math.ceil(this.rank.length * 1.5));
    this.rank = grown(this.rank, new Float64Array(capacity));
    this.rankTail = grown(this.rankTail, new Float64Array(capacity));
    this.size = grown(this.size, new Float64Array(capacity));
    this.firstSeen = grown(this.firstSeen, new Float64Array(capacity));
    this.sources = grown(this.sources, new Int32Array(capacity));
    this.kinds = grown(this.kinds, new Uint8Array(capacity));
    this.extension = grown(this.extension, new Int32Array(capacity));
    this.pairs = grown(this.pairs, new Int32Array(capacity * 2));
  }

  /** Resets a slot handed to a new file. */
  clear(slot: number): void {
    this.rank[slot] = 0;
    this.rankTail[slot] = 0;
    this.size[slot] = 0;
    this.firstSeen[slot] = 0;
    this.sources[slot] = 0;
    this.kinds[slot] = 0;
    this.extension[slot] = 0;
    this.setPairs(slot, { low: 0, high: 0 });
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(old: T, fresh: T): T {
  fresh.set(old as never);
  return fresh;
}
