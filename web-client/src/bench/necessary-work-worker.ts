/// <reference lib="webworker" />
import type { NecessaryWorkReply, NecessaryWorkRequest } from './necessary-work-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * The transfer benchmark's floor, receiving side: the least any verified, stored download does with a piece, SHA-256
 * and a write to the Origin Private File System through a synchronous access handle, with no protocol, checks or
 * bookkeeping around it. The file is removed when closed.
 */
const FILE_NAME = 'necessary-work.bin';
/** Flushed every 16 pieces, as a download's storage is. */
const FLUSH_EVERY = 16;

let access: FileSystemSyncAccessHandle | null = null;
let stored = 0;

async function run(request: NecessaryWorkRequest): Promise<NecessaryWorkReply> {
  switch (request.type) {
    case 'open': {
      const root = await navigator.storage.getDirectory();
      const file = await root.getFileHandle(FILE_NAME, { create: true });
      access = await file.createSyncAccessHandle();
      access.truncate(0);
      stored = 0;
      return { type: 'opened' };
    }
    case 'piece': {
      if (!access) throw new Error('not open');
      const piece = new Uint8Array(request.buffer, 0, request.length);
      // The digest is what verifying costs; comparing 32 bytes with a manifest's would add nothing measurable.
      await crypto.subtle.digest('SHA-256', piece);
      access.write(piece, { at: request.at });
      if (++stored % FLUSH_EVERY === 0) access.flush();
      return { type: 'stored', buffer: request.buffer };
    }
    case 'close': {
      access?.flush();
      access?.close();
      access = null;
      await (await navigator.storage.getDirectory()).removeEntry(FILE_NAME);
      return { type: 'closed' };
    }
  }
}

// In order: a piece's write must not overtake the open, nor the close a write.
let queue = Promise.resolve();

self.onmessage = (event: MessageEvent<NecessaryWorkRequest>) => {
  const request = event.data;
  queue = queue.then(() =>
    run(request).then(
      (reply) => self.postMessage(reply, reply.type === 'stored' ? [reply.buffer] : []),
      (error: unknown) =>
        self.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    ),
  );
};
