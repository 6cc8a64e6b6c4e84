import { bitfieldLength, hasBit, setBit } from '@shoal/common';

/** The verified pieces of a download: a bitfield, plus listeners told of each new piece (to send `have`s). */
export class HeldPieces {
  readonly bitfield: Uint8Array;
  /** Bumped on every new piece, so announcers can tell whether anything changed. */
  version = 0;
  private readonly listeners = new Set<(index: number) => void>();

  constructor(readonly count: number) {
    this.bitfield = new Uint8Array(bitfieldLength(count));
  }

  has(index: number): boolean {
    return index >= 0 && index < this.count && hasBit(this.bitfield, index);
  }

  add(index: number): void {
    if (this.has(index) || index < 0 || index >= this.count) return;
    setBit(this.bitfield, index);
    this.version++;
    for (const listener of this.listeners) listener(index);
  }

  onPiece(listener: (index: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
