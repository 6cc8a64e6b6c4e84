/**
 * How many of a file's pieces some partial holder has, kept current as bitfields come and go: a counter per piece
 * (how many holders have it) and the number of pieces whose counter is not zero. Adding, replacing or removing one
 * holder's bitfield costs a pass over its bytes (only the bytes that changed do more work), so reading the
 * availability is free however often a file shows up in search results.
 *
 * Bitfields are BitTorrent-style (bit i is the most significant bit of byte i >> 3 shifted by i & 7) and must fit the
 * piece count exactly; the caller checks that before it calls in.
 */
export class PieceAvailability {
  /** By piece: holders that have it. 16 bits until more than 65,535 bitfields are counted, then 32. */
  private counts: Uint16Array | Uint32Array;
  private bitfields = 0;
  private coveredPieces = 0;

  constructor(readonly pieceCount: number) {
    this.counts = new Uint16Array(pieceCount);
  }

  /** Pieces at least one counted bitfield has. */
  get covered(): number {
    return this.coveredPieces;
  }

  /** Bitfields counted (one per partial holder). */
  get holders(): number {
    return this.bitfields;
  }

  /** Share of the pieces at least one counted bitfield has, 0 to 1 (1 for a file without pieces). */
  get fraction(): number {
    return this.pieceCount === 0 ? 1 : this.coveredPieces / this.pieceCount;
  }

  /** How many holders have piece `index`. */
  holdersOf(index: number): number {
    return this.counts[index] ?? 0;
  }

  /** Counts one more holder's bitfield. */
  add(bitfield: Uint8Array): void {
    if (this.bitfields === 0xffff && this.counts instanceof Uint16Array) this.counts = Uint32Array.from(this.counts);
    this.bitfields++;
    for (let byte = 0; byte < bitfield.length; byte++) this.apply(byte, bitfield[byte] ?? 0, 1);
  }

  /** Stops counting a bitfield that {@link add} counted. */
  remove(bitfield: Uint8Array): void {
    this.bitfields--;
    for (let byte = 0; byte < bitfield.length; byte++) this.apply(byte, bitfield[byte] ?? 0, -1);
  }

  /** Replaces one counted bitfield with a new one from the same holder: only the pieces that changed are touched. */
  replace(previous: Uint8Array, next: Uint8Array): void {
    for (let byte = 0; byte < next.length; byte++) {
      const before = previous[byte] ?? 0;
      const after = next[byte] ?? 0;
      if (before === after) continue;
      this.apply(byte, after & ~before, 1);
      this.apply(byte, before & ~after, -1);
    }
  }

  /** Adds `delta` to the counter of every piece whose bit is set in `bits`, byte `byte` of a bitfield. */
  private apply(byte: number, bits: number, delta: 1 | -1): void {
    for (let rest = bits & 0xff; rest !== 0; rest &= rest - 1) {
      // The lowest set bit stands for the highest piece index within the byte.
      const piece = (byte << 3) + 7 - (31 - Math.clz32(rest & -rest));
      const count = (this.counts[piece] ?? 0) + delta;
      this.counts[piece] = count;
      if (count === 0) this.coveredPieces--;
      else if (count === 1 && delta === 1) this.coveredPieces++;
    }
  }
}
