/// <reference lib="webworker" />
import { concat } from './concat.ts';
import type { PieceWorkerReply, PieceWorkerRequest } from './piece-worker-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * Verifies downloaded pieces against their manifest hashes and keeps the good ones as Blobs, in a worker: joining a
 * piece's chunks, hashing it and copying it into blob storage are the costliest steps of receiving, and here they
 * stay off the page's main thread, which is left to keep the data channel drained.
 */
interface Store {
  pieceHashes: Uint8Array;
  pieces: (Blob | undefined)[];
}

const stores = new Map<number, Store>();

function reply(message: PieceWorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function sameHash(digest: Uint8Array, hashes: Uint8Array, index: number): boolean {
  const at = index * 32;
  for (let i = 0; i < 32; i++) if (digest[i] !== hashes[at + i]) return false;
  return true;
}

async function handle(request: PieceWorkerRequest): Promise<void> {
  if (request.type === 'open') {
    stores.set(request.storeId, { pieceHashes: request.pieceHashes, pieces: new Array(request.pieceCount) });
    return;
  }
  if (request.type === 'dispose') {
    stores.delete(request.storeId);
    return;
  }
  const store = stores.get(request.storeId);
  if (!store) throw new Error('no such piece store');
  switch (request.type) {
    case 'write': {
      const { index } = request;
      if (index < 0 || index >= store.pieces.length) throw new RangeError(`piece ${index} out of range`);
      const bytes = concat(request.parts);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
      const ok = sameHash(digest, store.pieceHashes, index);
      if (ok) store.pieces[index] = new Blob([bytes as Uint8Array<ArrayBuffer>]);
      reply({ requestId: request.requestId, type: 'written', ok });
      return;
    }
    case 'read': {
      const piece = store.pieces[request.index];
      if (!piece) throw new RangeError(`piece ${request.index} is not stored`);
      const bytes = new Uint8Array(await piece.arrayBuffer());
      reply({ requestId: request.requestId, type: 'read', bytes }, [bytes.buffer]);
      return;
    }
    case 'file': {
      const parts: Blob[] = [];
      for (const [index, piece] of store.pieces.entries()) {
        if (!piece) throw new Error(`piece ${index} is missing`);
        parts.push(piece);
      }
      reply({ requestId: request.requestId, type: 'file', file: new Blob(parts, { type: request.mimeType }) });
      return;
    }
  }
}

self.onmessage = (event: MessageEvent<PieceWorkerRequest>) => {
  const request = event.data;
  handle(request).catch((error: unknown) => {
    if ('requestId' in request) {
      reply({
        requestId: request.requestId,
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
};
