/** Messages between the page and the piece worker (verification and storage off the main thread). */

export type PieceWorkerRequest =
  | { type: 'open'; storeId: number; pieceHashes: Uint8Array; pieceCount: number }
  | { type: 'write'; storeId: number; requestId: number; index: number; parts: Uint8Array[] }
  | { type: 'read'; storeId: number; requestId: number; index: number }
  | { type: 'file'; storeId: number; requestId: number; mimeType: string }
  | { type: 'dispose'; storeId: number };

export type PieceWorkerReply =
  | { requestId: number; type: 'written'; ok: boolean }
  | { requestId: number; type: 'read'; bytes: Uint8Array }
  | { requestId: number; type: 'file'; file: Blob }
  | { requestId: number; type: 'error'; message: string };
