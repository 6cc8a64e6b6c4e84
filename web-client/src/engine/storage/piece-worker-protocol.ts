import type { DownloadInfo } from './download-record.ts';

/** Messages between the page and the piece worker (verification and storage off the main thread). */

/** A download found in storage when the page loaded. */
export interface StoredDownloadMessage {
  fileId: string;
  info: DownloadInfo;
  manifestBytes: Uint8Array;
  verified: Uint8Array;
  /** The finished file, read from disk, when the download is complete. */
  file: File | null;
}

export type PieceWorkerRequest =
  /** `persistent`: this page may keep downloads in the Origin Private File System (it holds the storage lock). */
  | { type: 'init'; requestId: number; persistent: boolean }
  | {
      type: 'open';
      requestId: number;
      storeId: number;
      fileId: string;
      manifestBytes: Uint8Array;
      name: string;
      mimeType: string;
    }
  | { type: 'resume'; requestId: number; storeId: number; fileId: string }
  | { type: 'write'; storeId: number; requestId: number; index: number; parts: Uint8Array[] }
  | { type: 'read'; storeId: number; requestId: number; index: number }
  | { type: 'finish'; storeId: number; requestId: number; mimeType: string }
  | { type: 'pause'; storeId: number; requestId: number; paused: boolean }
  | { type: 'close'; storeId: number; requestId: number }
  /** Removes a download's storage, open or not. */
  | { type: 'remove'; requestId: number; storeId: number | null; fileId: string };

export type PieceWorkerReply =
  | { requestId: number; type: 'ready'; persistent: boolean; downloads: StoredDownloadMessage[] }
  | { requestId: number; type: 'done' }
  /** `buffer`: a lone part's buffer, given back to be used for another piece. */
  | { requestId: number; type: 'written'; ok: boolean; buffer?: ArrayBuffer }
  | { requestId: number; type: 'read'; bytes: Uint8Array }
  | { requestId: number; type: 'file'; file: Blob }
  | { requestId: number; type: 'error'; message: string };
