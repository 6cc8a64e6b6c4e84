import { decodeManifest, pieceCount, pieceLength, type Manifest } from '@shoal/common';
import { JoinBuffers } from './join-buffers.ts';
import type { PieceStore, PieceStoreTarget } from './piece-store.ts';
import type { PieceWorkerReply, PieceWorkerRequest, StoredDownloadMessage } from './piece-worker-protocol.ts';

/** A download found in storage when the page loaded. */
export interface StoredDownload {
  fileId: string;
  name: string;
  mimeType: string;
  paused: boolean;
  manifest: Manifest;
  manifestBytes: Uint8Array;
  /** Pieces already verified and stored. */
  verified: Uint8Array;
  /** The finished file, read from disk, when every piece is there. */
  file: File | null;
}

/** A stored download as the piece worker reports it, made ready to use. */
export function toStoredDownload({
  fileId,
  info,
  manifestBytes,
  verified,
  file,
}: StoredDownloadMessage): StoredDownload {
  return {
    fileId,
    name: info.name,
    mimeType: info.mimeType,
    paused: info.paused,
    manifest: decodeManifest(manifestBytes),
    manifestBytes,
    verified,
    file,
  };
}

/** Where downloads are kept, and what was kept before the page (re)loaded. */
export interface DownloadStorage {
  /** Downloads survive a reload (this page holds the browser storage). */
  readonly persistent: boolean;
  /** Downloads found in storage at start-up. */
  readonly stored: readonly StoredDownload[];
  create(target: PieceStoreTarget): Promise<PieceStore>;
  /** Opens a stored, unfinished download to go on with it. */
  resume(download: StoredDownload): Promise<PieceStore>;
  /** Frees a stored download that is not open (a finished one no longer shared). */
  remove(fileId: string): Promise<void>;
  /** What the browser says this site uses and may use, in bytes, when it says. */
  estimate(): Promise<{ usage: number; quota: number } | null>;
  /** Asks the browser not to evict this site's storage under pressure (it may say no). */
  persist(): Promise<boolean>;
}

/** Only one page of an origin can hold the files of its downloads open; the others keep theirs in Blobs. */
const STORAGE_LOCK = 'shoal-download-storage';

/**
 * How long a page waits for the storage lock: on a reload, the page being replaced may still hold it for a moment;
 * a lock still held after this belongs to another open tab.
 */
const STORAGE_LOCK_WAIT_MS = 3_000;

/** Takes the storage lock if no other page of this origin keeps it, and holds it for the page's life. */
function takeStorageLock(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.locks) return Promise.resolve(false);
  return new Promise((resolve) => {
    navigator.locks
      .request(STORAGE_LOCK, { signal: AbortSignal.timeout(STORAGE_LOCK_WAIT_MS) }, () => {
        resolve(true);
        return new Promise<never>(() => {});
      })
      .catch(() => resolve(false));
  });
}

type Pending = { resolve: (reply: PieceWorkerReply) => void; reject: (error: Error) => void };

/** The page's piece worker (see piece-worker.ts), shared by every download, with request/reply matching. */
class PieceWorker {
  private readonly worker = new Worker(new URL('./piece-worker.ts', import.meta.url), {
    type: 'module',
    name: 'shoal-pieces',
  });
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  nextStoreId = 1;
  /** Pieces on their way to the worker, joined; a few downloads' pieces are in flight at once. */
  readonly pieceBuffers = new JoinBuffers(4);

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

  ask<T extends PieceWorkerReply['type']>(
    expect: T,
    build: (requestId: number) => PieceWorkerRequest,
    transfer: Transferable[] = [],
  ): Promise<Extract<PieceWorkerReply, { type: T }>> {
    const requestId = this.nextRequestId++;
    return new Promise<PieceWorkerReply>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.worker.postMessage(build(requestId), transfer);
    }).then((reply) => {
      if (reply.type !== expect) throw new Error(`unexpected ${reply.type} reply from the piece worker`);
      return reply as Extract<PieceWorkerReply, { type: T }>;
    });
  }
}

/**
 * A download's pieces verified and kept by the piece worker: the main thread joins each received piece into a pooled
 * buffer, hands that over (transferred, not copied) and learns whether it matched.
 */
class WorkerPieceStore implements PieceStore {
  constructor(
    private readonly worker: PieceWorker,
    private readonly storeId: number,
    private readonly fileId: string,
    private readonly manifest: Manifest,
  ) {}

  async verifyAndWrite(index: number, parts: Uint8Array[]): Promise<boolean> {
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    if (index < 0 || index >= pieceCount(this.manifest) || length !== pieceLength(this.manifest, index)) return false;
    // One copy here, into a buffer that goes to the worker and comes back, rather than handing over each chunk's
    // message buffer: those then die young on this thread, where they used to pile up in the worker between its
    // collections (a 1 GiB download: peaks of 79-148 MiB before, 69-78 after).
    const piece = this.worker.pieceBuffers.copy(parts);
    const { storeId } = this;
    const reply = await this.worker.ask(
      'written',
      (requestId) => ({ type: 'write', storeId, requestId, index, parts: [piece] }),
      [piece.buffer as ArrayBuffer],
    );
    if (reply.buffer) this.worker.pieceBuffers.adopt(reply.buffer);
    return reply.ok;
  }

  async read(index: number): Promise<Uint8Array> {
    const { storeId } = this;
    return (await this.worker.ask('read', (requestId) => ({ type: 'read', storeId, requestId, index }))).bytes;
  }

  async finish(mimeType: string): Promise<Blob> {
    const { storeId } = this;
    return (await this.worker.ask('file', (requestId) => ({ type: 'finish', storeId, requestId, mimeType }))).file;
  }

  async setPaused(paused: boolean): Promise<void> {
    const { storeId } = this;
    await this.worker.ask('done', (requestId) => ({ type: 'pause', storeId, requestId, paused }));
  }

  async close(): Promise<void> {
    const { storeId } = this;
    await this.worker.ask('done', (requestId) => ({ type: 'close', storeId, requestId }));
  }

  async remove(): Promise<void> {
    const { storeId, fileId } = this;
    await this.worker.ask('done', (requestId) => ({ type: 'remove', storeId, requestId, fileId }));
  }
}

/**
 * Downloads kept by the piece worker: in the Origin Private File System when this page holds the storage lock and
 * the browser allows (they survive reloads, and their size is bounded by disk, not memory), else in Blobs.
 */
export class WorkerDownloadStorage implements DownloadStorage {
  private constructor(
    private readonly worker: PieceWorker,
    readonly persistent: boolean,
    readonly stored: readonly StoredDownload[],
  ) {}

  static async open(): Promise<WorkerDownloadStorage> {
    const worker = new PieceWorker();
    const persistent = await takeStorageLock();
    const ready = await worker.ask('ready', (requestId) => ({ type: 'init', requestId, persistent }));
    const stored = ready.downloads.map(toStoredDownload);
    return new WorkerDownloadStorage(worker, ready.persistent, stored);
  }

  async create(target: PieceStoreTarget): Promise<PieceStore> {
    const storeId = this.worker.nextStoreId++;
    const { fileId, name, mimeType } = target;
    const manifestBytes = target.manifestBytes.slice();
    await this.worker.ask('done', (requestId) => ({
      type: 'open',
      requestId,
      storeId,
      fileId,
      manifestBytes,
      name,
      mimeType,
    }));
    return new WorkerPieceStore(this.worker, storeId, fileId, target.manifest);
  }

  async resume(download: StoredDownload): Promise<PieceStore> {
    const storeId = this.worker.nextStoreId++;
    const { fileId } = download;
    await this.worker.ask('done', (requestId) => ({ type: 'resume', requestId, storeId, fileId }));
    return new WorkerPieceStore(this.worker, storeId, fileId, download.manifest);
  }

  async remove(fileId: string): Promise<void> {
    await this.worker.ask('done', (requestId) => ({ type: 'remove', requestId, storeId: null, fileId }));
  }

  async estimate(): Promise<{ usage: number; quota: number } | null> {
    const estimate = await navigator.storage?.estimate?.();
    return estimate?.quota === undefined ? null : { usage: estimate.usage ?? 0, quota: estimate.quota };
  }

  async persist(): Promise<boolean> {
    return (await navigator.storage?.persist?.()) ?? false;
  }
}
