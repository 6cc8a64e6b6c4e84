/// <reference lib="webworker" />
import { hashFile } from './hash-file.ts';
import type { HashReply, HashRequest } from './hash-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/** Progress messages at most this often, so a fast hash does not flood the page. */
const PROGRESS_INTERVAL_MS = 100;

function reply(message: HashReply, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

// Jobs run one after another: hashing is bound by one core's WebCrypto throughput anyway.
let queue = Promise.resolve();

self.onmessage = (event: MessageEvent<HashRequest>) => {
  const { jobId, file } = event.data;
  queue = queue.then(async () => {
    let lastReport = 0;
    try {
      const result = await hashFile(file, (bytesHashed) => {
        const now = performance.now();
        if (now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        reply({ jobId, type: 'progress', bytesHashed });
      });
      reply({ jobId, type: 'done', id: result.id, manifest: result.manifest }, [result.manifest.buffer]);
    } catch (error) {
      reply({ jobId, type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
};
