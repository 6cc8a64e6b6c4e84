import { pieceCount, pieceLength, type Manifest } from '@shoal/common';
import type { PieceStore } from './piece-store.ts';
import type { PieceWorkerReply, PieceWorkerRequest } from './piece-worker-protocol.ts';

type Pending = { resolve: (reply: PieceWorkerReply) => void; reject: (error: Error) => void };

/** The one piece worker of the page, shared by every download. */
class PieceWorker {
  private readonly worker = new Worker(new URL('./piece-worker.ts', import.meta.url), {
    type: 'module',
    name: 'shoal-pieces',
  });
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  nextStoreId = 1;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<PieceWorkerReply>) => {
      const reply = event.data;
      const pending = this.pending.get(reply.requestId);
      if (!pending) return;
      this.pending.delete(reply.requestId);
      if (reply.type === 'error') pending.reject(new Error(reply.message));
      else pending.resolve(reply);
    };
    this.worker.onerror = (event) => {
      for (const pending of this.pending.values()) pending.reject(new Error(`piece worker failed: ${event.message}`));
      this.pending.clear();
    };
  }

  post(message: PieceWorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** Sends a request that expects a reply. */
  ask(build: (requestId: number) => PieceWorkerRequest, transfer: Transferable[] = []): Promise<PieceWorkerReply> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.post(build(requestId), transfer);
    });
  }
}

let shared: PieceWorker | null = null;

/**
 * Pieces verified and kept in the page's piece worker (see piece-worker.ts): the main thread only hands each received
 * piece over (transferred, not copied) and learns whether it matched.
 */
export class WorkerPieceStore implements PieceStore {
  private readonly worker: PieceWorker;
  private readonly storeId: number;

  constructor(private readonly manifest: Manifest) {
    shared ??= new PieceWorker();
    this.worker = shared;
    this.storeId = this.worker.nextStoreId++;
    this.worker.post({
      type: 'open',
      storeId: this.storeId,
      pieceHashes: manifest.pieceHashes.slice(),
      pieceCount: pieceCount(manifest),
    });
  }

  async verifyAndWrite(index: number, parts: Uint8Array[]): Promise<boolean> {
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    if (index < 0 || index >= pieceCount(this.manifest) || length !== pieceLength(this.manifest, index)) return false;
    // Each chunk arrived in a message buffer of its own: hand the buffers over rather than copy them.
    const buffers = [...new Set(parts.map((part) => part.buffer))].filter(
      (buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer,
    );
    const reply = await this.worker.ask(
      (requestId) => ({ type: 'write', storeId: this.storeId, requestId, index, parts }),
      buffers,
    );
    return reply.type === 'written' && reply.ok;
  }

  async read(index: number): Promise<Uint8Array> {
    const reply = await this.worker.ask((requestId) => ({ type: 'read', storeId: this.storeId, requestId, index }));
    if (reply.type !== 'read') throw new Error('unexpected reply from the piece worker');
    return reply.bytes;
  }

  async file(mimeType: string): Promise<Blob> {
    const reply = await this.worker.ask((requestId) => ({ type: 'file', storeId: this.storeId, requestId, mimeType }));
    if (reply.type !== 'file') throw new Error('unexpected reply from the piece worker');
    return reply.file;
  }

  async dispose(): Promise<void> {
    this.worker.post({ type: 'dispose', storeId: this.storeId });
  }
}
