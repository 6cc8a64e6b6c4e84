import type { HashedFile } from './hash-file.ts';
import type { HashReply, HashRequest } from './hash-protocol.ts';

interface Job {
  onProgress: (bytesHashed: number) => void;
  resolve: (result: HashedFile) => void;
  reject: (error: Error) => void;
}

/** Hashes files in a Web Worker so the page never freezes. One worker, jobs queued in order. */
export class Hasher {
  private worker: Worker | null = null;
  private nextJobId = 1;
  private readonly jobs = new Map<number, Job>();

  hash(file: File, onProgress: (bytesHashed: number) => void): Promise<HashedFile> {
    const worker = this.ensureWorker();
    const jobId = this.nextJobId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(jobId, { onProgress, resolve, reject });
      const request: HashRequest = { jobId, file };
      worker.postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module', name: 'shoal-hasher' });
    worker.onmessage = (event: MessageEvent<HashReply>) => this.onReply(event.data);
    worker.onerror = (event) => {
      // A crashed worker fails every pending job; the next hash starts a fresh one.
      for (const job of this.jobs.values()) job.reject(new Error(`hashing worker failed: ${event.message}`));
      this.jobs.clear();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }

  private onReply(message: HashReply): void {
    const job = this.jobs.get(message.jobId);
    if (!job) return;
    if (message.type === 'progress') {
      job.onProgress(message.bytesHashed);
      return;
    }
    this.jobs.delete(message.jobId);
    if (message.type === 'done') job.resolve({ id: message.id, manifest: message.manifest });
    else job.reject(new Error(message.message));
  }

  close(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
