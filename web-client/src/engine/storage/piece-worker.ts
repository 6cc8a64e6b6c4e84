/// <reference lib="webworker" />
import { OpfsRoot, opfsAvailable } from './disk/opfs-root.ts';
import { PieceKeeper } from './piece-keeper.ts';
import type { PieceWorkerReply, PieceWorkerRequest } from './piece-worker-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * The page's piece worker: hashing a piece and writing it are the costliest steps of receiving, and here they stay
 * off the page's main thread, which is left to keep the data channels drained (it only joins each piece's chunks).
 * Pieces go to the Origin Private File System through synchronous access handles (only workers have those) when the
 * page holds the storage, else into Blobs. The work itself is {@link PieceKeeper}'s; this file only carries the
 * messages.
 */
let keeper: PieceKeeper | null = null;

function reply(message: PieceWorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function ready(): PieceKeeper {
  if (!keeper) throw new Error('the piece worker was not initialised');
  return keeper;
}

async function handle(request: PieceWorkerRequest): Promise<void> {
  const { requestId } = request;
  switch (request.type) {
    case 'init': {
      const root = request.persistent && opfsAvailable() ? await OpfsRoot.open() : null;
      keeper = new PieceKeeper(root);
      reply({ requestId, type: 'ready', persistent: keeper.persistent, downloads: await keeper.load() });
      return;
    }
    case 'open':
      await ready().open(request.storeId, request.fileId, request.manifestBytes, request.name, request.mimeType);
      break;
    case 'resume':
      await ready().resume(request.storeId, request.fileId);
      break;
    case 'write': {
      const ok = await ready().write(request.storeId, request.index, request.parts);
      // A piece the page joined: its buffer goes back to the page's pool (the backends copy what they keep).
      const buffer = request.parts.length === 1 ? (request.parts[0]!.buffer as ArrayBuffer) : undefined;
      reply({ requestId, type: 'written', ok, buffer }, buffer ? [buffer] : []);
      return;
    }
    case 'read': {
      const bytes = await ready().read(request.storeId, request.index);
      reply({ requestId, type: 'read', bytes }, [bytes.buffer as ArrayBuffer]);
      return;
    }
    case 'finish':
      reply({ requestId, type: 'file', file: await ready().finish(request.storeId, request.mimeType) });
      return;
    case 'pause':
      await ready().setPaused(request.storeId, request.paused);
      break;
    case 'close':
      ready().close(request.storeId);
      break;
    case 'remove':
      await ready().remove(request.storeId, request.fileId);
      break;
  }
  reply({ requestId, type: 'done' });
}

// Requests run one at a time, in order: a piece's write and a later read of it, or a close and a remove, must not
// interleave at their awaits.
let queue = Promise.resolve();

self.onmessage = (event: MessageEvent<PieceWorkerRequest>) => {
  const request = event.data;
  queue = queue.then(() =>
    handle(request).catch((error: unknown) => {
      const full = error instanceof DOMException && error.name === 'QuotaExceededError';
      const message = full
        ? 'Not enough browser storage for it'
        : error instanceof Error
          ? error.message
          : String(error);
      reply({ requestId: request.requestId, type: 'error', message });
    }),
  );
};
