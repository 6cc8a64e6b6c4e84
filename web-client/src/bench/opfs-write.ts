import type { OpfsWriteReply, OpfsWriteRequest } from './opfs-write-protocol.ts';

/**
 * The storage side of the storage benchmark: how fast the piece worker's storage path writes a download's pieces to
 * the Origin Private File System, measured in a worker like the piece worker's, without the network (see
 * opfs-write-worker.ts). Only disk-backed in a persistent browser profile: an incognito context keeps OPFS in memory.
 */
function measure(pieces: number): Promise<Extract<OpfsWriteReply, { ok: true }>> {
  const worker = new Worker(new URL('./opfs-write-worker.ts', import.meta.url), { type: 'module', name: 'opfs-bench' });
  return new Promise<OpfsWriteReply>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<OpfsWriteReply>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`the OPFS bench worker failed: ${event.message}`));
    worker.postMessage({ pieces } satisfies OpfsWriteRequest);
  })
    .then((reply) => {
      if (!reply.ok) throw new Error(reply.message);
      return reply;
    })
    .finally(() => worker.terminate());
}

declare global {
  interface Window {
    opfsWriteBench: { measure: typeof measure };
  }
}

window.opfsWriteBench = { measure };
