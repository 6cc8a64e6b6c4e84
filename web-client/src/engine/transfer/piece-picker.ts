/**
 * Which piece to ask for next. Pure bookkeeping, no I/O: pieces are missing, in flight (requested from one peer)
 * or done. A piece whose request fails goes back to missing.
 */
export class PiecePicker {
  private readonly done: Uint8Array;
  private readonly inFlight: Uint8Array;
  private doneCount = 0;
  /** Lowest index that may still be missing; keeps `next` from rescanning finished pieces. */
  private cursor = 0;

  constructor(readonly count: number) {
    this.done = new Uint8Array(count);
    this.inFlight = new Uint8Array(count);
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

  /** The lowest missing piece that is not in flight and that `has` says the peer holds; marks it in flight. */
  next(has: (index: number) => boolean = () => true): number | null {
    while (this.cursor < this.count && this.done[this.cursor] === 1) this.cursor++;
    for (let i = this.cursor; i < this.count; i++) {
      if (this.done[i] === 0 && this.inFlight[i] === 0 && has(i)) {
        this.inFlight[i] = 1;
        return i;
      }
    }
    return null;
  }

  /** The request for `index` failed or was cancelled: it is missing again. */
  release(index: number): void {
    if (this.done[index] === 0) this.inFlight[index] = 0;
  }

  /** Piece `index` arrived and verified. Returns false if it was already done. */
  complete(index: number): boolean {
    if (index < 0 || index >= this.count || this.done[index] === 1) return false;
    this.done[index] = 1;
    this.inFlight[index] = 0;
    this.doneCount++;
    return true;
  }
}
