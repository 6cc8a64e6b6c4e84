/**
 * Where a download's verified pieces go. The engine writes each piece once, after verification, and asks for the
 * whole file only when every piece is there.
 */
export interface PieceStore {
  /** Stores verified piece `index`. */
  write(index: number, bytes: Uint8Array): Promise<void>;
  /** Reads back a stored piece (to serve it to other peers while the download goes on). */
  read(index: number): Promise<Uint8Array>;
  /** The complete file, pieces in order. Only called once every piece was written. */
  file(type: string): Promise<Blob>;
  /** Frees whatever the store holds. */
  dispose(): Promise<void>;
}

/** Creates the store for one download. */
export type PieceStoreFactory = (fileId: string, pieceCount: number) => PieceStore;
