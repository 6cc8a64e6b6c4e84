import type { PieceStore } from './piece-store.ts';

/**
 * Keeps pieces in memory and hands the file out as a Blob. Bounded by the tab's memory; the disk-backed store
 * (Origin Private File System) replaces it for big files.
 */
export class MemoryPieceStore implements PieceStore {
  private pieces: (Uint8Array | undefined)[];

  constructor(pieceCount: number) {
    this.pieces = new Array<Uint8Array | undefined>(pieceCount);
  }

  async write(index: number, bytes: Uint8Array): Promise<void> {
    if (index < 0 || index >= this.pieces.length) throw new RangeError(`piece ${index} out of range`);
    this.pieces[index] = bytes;
  }

  async file(type: string): Promise<Blob> {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    for (const [index, piece] of this.pieces.entries()) {
      if (!piece) throw new Error(`piece ${index} is missing`);
      parts.push(piece as Uint8Array<ArrayBuffer>);
    }
    return new Blob(parts, { type });
  }

  async dispose(): Promise<void> {
    this.pieces = [];
  }
}
