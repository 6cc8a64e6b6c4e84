import type { PieceStore } from './piece-store.ts';

/**
 * Keeps each verified piece as a Blob, so the browser moves its bytes into blob storage while the download goes on
 * and the finished file is a Blob of those Blobs (no final copy). Bounded by memory; the disk-backed store (Origin
 * Private File System) replaces it for big files.
 */
export class MemoryPieceStore implements PieceStore {
  private pieces: (Blob | undefined)[];

  constructor(pieceCount: number) {
    this.pieces = new Array<Blob | undefined>(pieceCount);
  }

  async write(index: number, bytes: Uint8Array): Promise<void> {
    if (index < 0 || index >= this.pieces.length) throw new RangeError(`piece ${index} out of range`);
    this.pieces[index] = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  }

  async read(index: number): Promise<Uint8Array> {
    const piece = this.pieces[index];
    if (!piece) throw new RangeError(`piece ${index} is not stored`);
    return new Uint8Array(await piece.arrayBuffer());
  }

  async file(type: string): Promise<Blob> {
    const parts: Blob[] = [];
    for (const [index, piece] of this.pieces.entries()) {
      if (!piece) throw new Error(`piece ${index} is missing`);
      parts.push(piece);
    }
    return new Blob(parts, { type });
  }

  async dispose(): Promise<void> {
    this.pieces = [];
  }
}
