/** Messages between the OPFS write benchmark page (opfs-write.ts) and its worker (opfs-write-worker.ts). */

/** Store `pieces` pieces of 1 MiB (one download of that size), once through each path. */
export interface OpfsWriteRequest {
  pieces: number;
}

/** Milliseconds each path took for the whole download, from its first piece to its files flushed and closed. */
export type OpfsWriteReply =
  | {
      ok: true;
      bytes: number;
      /** `DiskDownload.write` alone: each piece's bytes and its verified bit through sync access handles. */
      storeMs: number;
      /** `PieceKeeper.write`, what the piece worker does per piece: join its chunks, SHA-256, compare, store. */
      verifyAndStoreMs: number;
    }
  | { ok: false; message: string };
