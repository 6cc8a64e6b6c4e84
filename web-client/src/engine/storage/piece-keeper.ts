import { decodeManifest, pieceCount, verifyPiece, type Manifest } from '@shoal/common';
import type { StoredDownloadState } from './disk/disk-download.ts';
import { StoredDownloads } from './disk/stored-downloads.ts';
import type { DownloadRoot } from './disk/sync-file.ts';
import { JoinBuffers } from './join-buffers.ts';
import { BlobBackend, type PieceBackend } from './piece-backend.ts';
import type { StoredDownloadMessage } from './piece-worker-protocol.ts';

interface Store {
  manifest: Manifest;
  backend: PieceBackend;
}

/**
 * The piece worker's work, free of messaging: verifies pieces against their manifest and keeps the good ones, on
 * disk (a {@link DownloadRoot}, the Origin Private File System in the page) or, without one, in Blobs. Stores are
 * numbered by the caller.
 */
export class PieceKeeper {
  private readonly stores = new Map<number, Store>();
  private readonly disk: StoredDownloads | null;
  /** Unfinished downloads found by {@link load}, until they are resumed or removed. */
  private readonly found = new Map<string, StoredDownloadState>();
  private readonly joinBuffers = new JoinBuffers();

  constructor(root: DownloadRoot | null) {
    this.disk = root ? new StoredDownloads(root) : null;
  }

  get persistent(): boolean {
    return this.disk !== null;
  }

  /** What storage holds from before: finished downloads with their file, unfinished ones to resume. */
  async load(): Promise<StoredDownloadMessage[]> {
    if (!this.disk) return [];
    const downloads: StoredDownloadMessage[] = [];
    for (const state of await this.disk.load()) {
      if (!state.info.complete) this.found.set(state.fileId, state);
      const file = state.info.complete ? await this.disk.file(state.fileId) : null;
      const { fileId, info, manifestBytes, verified } = state;
      downloads.push({ fileId, info, manifestBytes, verified, file });
    }
    return downloads;
  }

  async open(storeId: number, fileId: string, manifestBytes: Uint8Array, name: string, mimeType: string) {
    const manifest = decodeManifest(manifestBytes);
    const backend = this.disk
      ? await this.disk.create(fileId, manifestBytes, { name, mimeType, paused: false })
      : new BlobBackend(pieceCount(manifest));
    this.stores.set(storeId, { manifest, backend });
  }

  async resume(storeId: number, fileId: string): Promise<void> {
    const state = this.found.get(fileId);
    if (!this.disk || !state) throw new Error('no such stored download');
    this.found.delete(fileId);
    this.stores.set(storeId, { manifest: state.manifest, backend: await this.disk.resume(state) });
  }

  /** Checks a piece against the manifest and stores it if it matches. */
  async write(storeId: number, index: number, parts: Uint8Array[]): Promise<boolean> {
    const store = this.store(storeId);
    if (index < 0 || index >= pieceCount(store.manifest)) throw new RangeError(`piece ${index} out of range`);
    const bytes = this.joinBuffers.join(parts);
    try {
      const ok = await verifyPiece(store.manifest, index, bytes);
      if (ok) store.backend.write(index, bytes);
      return ok;
    } finally {
      this.joinBuffers.release(bytes);
    }
  }

  async read(storeId: number, index: number): Promise<Uint8Array> {
    return this.store(storeId).backend.read(index);
  }

  /** The whole file; the store is closed after. */
  async finish(storeId: number, mimeType: string): Promise<Blob> {
    const file = await this.store(storeId).backend.finish(mimeType);
    this.close(storeId);
    return file;
  }

  async setPaused(storeId: number, paused: boolean): Promise<void> {
    await this.store(storeId).backend.setPaused(paused);
  }

  close(storeId: number): void {
    this.stores.get(storeId)?.backend.close();
    this.stores.delete(storeId);
  }

  /** Frees a download's storage, open (`storeId`) or not. */
  async remove(storeId: number | null, fileId: string): Promise<void> {
    if (storeId !== null) this.close(storeId);
    this.found.delete(fileId);
    await this.disk?.remove(fileId);
  }

  private store(storeId: number): Store {
    const store = this.stores.get(storeId);
    if (!store) throw new Error('no such piece store');
    return store;
  }
}
