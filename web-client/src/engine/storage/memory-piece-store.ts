import { pieceCount, verifyPiece, type Manifest } from '@shoal/common';
import { concat } from './concat.ts';
import type { PieceStore } from './piece-store.ts';

/**
 * Verifies and keeps pieces in the calling thread's memory; the file is assembled into a Blob at the end. Used by
 * the engine's tests, which run without workers; the page uses the piece worker (see download-storage.ts).
 */
export class MemoryPieceStore implements PieceStore {
  private pieces: (Uint8Array | undefined)[];

  constructor(private readonly manifest: Manifest) {
    this.pieces = new Array<Uint8Array | undefined>(pieceCount(manifest));
  }

  async verifyAndWrite(index: number, parts: Uint8Array[]): Promise<boolean> {
    const bytes = concat(parts);
    if (!(await verifyPiece(this.manifest, index, bytes))) return false;
    this.pieces[index] = bytes;
    return true;
  }

  async read(index: number): Promise<Uint8Array> {
    const piece = this.pieces[index];
    if (!piece) throw new RangeError(`piece ${index} is not stored`);
    return piece;
  }

  async finish(mimeType: string): Promise<Blob> {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    for (const [index, piece] of this.pieces.entries()) {
      if (!piece) throw new Error(`piece ${index} is missing`);
      parts.push(piece as Uint8Array<ArrayBuffer>);
    }
    return new Blob(parts, { type: mimeType });
  }

  async setPaused(): Promise<void> {}

  async close(): Promise<void> {
    this.pieces = [];
  }

  async remove(): Promise<void> {
    this.pieces = [];
  }
}
