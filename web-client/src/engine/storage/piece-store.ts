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
  /** The complete file, pieces in order. Only called once every piece was written. */
  file(type: string): Promise<Blob>;
  /** Frees whatever the store holds. */
  dispose(): Promise<void>;
}

/** Creates the store for one download, once its manifest is known. */
export type PieceStoreFactory = (fileId: string, manifest: Manifest) => PieceStore;
