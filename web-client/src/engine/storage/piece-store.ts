import type { Manifest } from '@shoal/common';

/**
 * Where a download's pieces go. Each piece is checked against the manifest by the store itself, so an
 * implementation can do the hashing and the copying off the page's main thread.
 */
export interface PieceStore {
  /**
   * Checks piece `index`, given as its consecutive parts (the chunks it arrived in), against the manifest and stores
   * it if it matches. Resolves false (storing nothing) if it does not. The store may take over the parts' buffers
   * (transfer them to a worker): callers must not use them afterwards.
   */
  verifyAndWrite(index: number, parts: Uint8Array[]): Promise<boolean>;
  /** Reads back a stored piece (to serve it to other peers while the download goes on). */
  read(index: number): Promise<Uint8Array>;
  /** The complete file, pieces in order. Only called once every piece was written; the store is closed after. */
  finish(mimeType: string): Promise<Blob>;
  /** Records that the user paused (or resumed) the download, for after a reload. */
  setPaused(paused: boolean): Promise<void>;
  /** Lets go of the store; what it keeps on disk stays, to resume from or to share. */
  close(): Promise<void>;
  /** Frees everything the store holds, on disk too. */
  remove(): Promise<void>;
}

/** What a download's store is made for. */
export interface PieceStoreTarget {
  fileId: string;
  name: string;
  mimeType: string;
  manifest: Manifest;
  manifestBytes: Uint8Array;
}
