/** Where the piece worker keeps one download's verified pieces. */
export interface PieceBackend {
  write(index: number, bytes: Uint8Array): void;
  read(index: number): Promise<Uint8Array> | Uint8Array;
  /** Every piece is written: the whole file. */
  finish(mimeType: string): Promise<Blob>;
  setPaused(paused: boolean): Promise<void>;
  close(): void;
}

/**
 * Pieces kept as Blobs, which the browser may page out to its own disk cache: the fallback where the Origin Private
 * File System is not available to this page (another tab of it holds the storage, or the browser lacks it). Nothing
 * survives a reload.
 */
export class BlobBackend implements PieceBackend {
  private pieces: (Blob | undefined)[];

  constructor(pieceCount: number) {
    this.pieces = new Array<Blob | undefined>(pieceCount);
  }

  write(index: number, bytes: Uint8Array): void {
    this.pieces[index] = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  }

  async read(index: number): Promise<Uint8Array> {
    const piece = this.pieces[index];
    if (!piece) throw new RangeError(`piece ${index} is not stored`);
    return new Uint8Array(await piece.arrayBuffer());
  }

  async finish(mimeType: string): Promise<Blob> {
    const parts: Blob[] = [];
    for (const [index, piece] of this.pieces.entries()) {
      if (!piece) throw new Error(`piece ${index} is missing`);
      parts.push(piece);
    }
    return new Blob(parts, { type: mimeType });
  }

  async setPaused(): Promise<void> {}

  close(): void {
    this.pieces = [];
  }
}
