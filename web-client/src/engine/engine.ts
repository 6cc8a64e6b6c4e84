import {
  ANNOUNCE_INTERVAL_MS,
  MAX_FILES_PER_ANNOUNCE,
  MAX_FILES_PER_REGISTER,
  MAX_SEARCH_LIMIT,
  MAX_FILE_NAME_LENGTH,
  MAX_MIME_TYPE_LENGTH,
  decodeManifest,
  encodeManifest,
  sanitizeFileName,
  type FileRegistration,
  type Manifest,
  type SearchResult,
} from '@shoal/common';
import { initialEngineState, type EngineState, type ShareView, type TransferView } from './engine-state.ts';
import { Hasher } from './hashing/hasher.ts';
import { SignalRouter } from './peer/signal-router.ts';
import { completeSource, type PieceSource } from './share/piece-source.ts';
import { UploadSession } from './share/upload-session.ts';
import { UploadThrottle } from './share/upload-throttle.ts';
import type { SharedFile } from './share/shared-file.ts';
import { WorkerPieceStore } from './storage/worker-piece-store.ts';
import type { PieceStoreFactory } from './storage/piece-store.ts';
import { createStore, type Store } from './store.ts';
import { TrackerClient } from './tracker-client.ts';
import { Download } from './transfer/download.ts';

/** Transfer progress reaches the store at most this often. */
const PUBLISH_INTERVAL_MS = 200;

export interface EngineOptions {
  /** Base URL of the tracker (the page's own origin when served by it). */
  trackerUrl: string;
  /** Hands a finished download to the user. */
  save: (file: Blob, name: string) => void;
  createPieceStore?: PieceStoreFactory;
  /** Peers one download connects to at once (default 5). */
  maxPeersPerDownload?: number;
  /** Upload speed cap in bytes per second for the whole page (none by default). */
  uploadBytesPerSecond?: number;
  /** Test-only: corrupt every piece this page uploads, to exercise the downloaders' defences. */
  corruptUploads?: boolean;
}

interface TransferEntry {
  key: string;
  name: string;
  download: Download;
  /** `HeldPieces.version` last announced to the tracker. */
  announcedVersion: number;
}

/** Errors worth retrying as they are: the tracker was busy or out of reach. */
function isTransient(code: string): boolean {
  return code === 'RATE_LIMITED' || code === 'TIMEOUT' || code === 'OFFLINE';
}

let nextKey = 1;
const newKey = (prefix: string) => `${prefix}-${nextKey++}`;

/**
 * The Shoal peer engine, free of React: shares files (hashing them in a worker and registering them with the
 * tracker), searches, downloads from other peers and serves what it shares. The UI reads {@link store} and calls the
 * methods below.
 */
export class ShoalEngine {
  private readonly state = createStore<EngineState>(initialEngineState);
  readonly store: Store<EngineState> = this.state;
  private readonly tracker: TrackerClient;
  private readonly hasher = new Hasher();
  private readonly router: SignalRouter;
  /** Shared files by id. */
  private readonly shared = new Map<string, SharedFile>();
  private readonly uploads = new Map<string, Set<UploadSession>>();
  private readonly transfers = new Map<string, TransferEntry>();
  private searchSeq = 0;
  private publishTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly announceTimer: ReturnType<typeof setInterval>;
  private readonly uploadThrottle: UploadThrottle;

  constructor(private readonly options: EngineOptions) {
    this.uploadThrottle = new UploadThrottle(options.uploadBytesPerSecond ?? null);
    this.tracker = new TrackerClient(options.trackerUrl, {
      status: (status, detail, url) =>
        this.state.update((s) => ({ ...s, tracker: { status, detail, peerId: this.tracker?.peerId ?? null, url } })), // (called once from inside the constructor)
      welcome: () => this.onWelcome(),
      signal: (signal) => this.router.receive(signal),
    });
    this.router = new SignalRouter({
      iceServers: () => this.tracker.iceServers,
      relay: (to, fileId, connectionId, signal) =>
        this.tracker.request('signal:relay', { to, fileId, connectionId, signal }),
      accepts: (fileId) => this.sourceOf(fileId) !== null,
      incoming: (link) => {
        const source = this.sourceOf(link.fileId);
        if (!source) return link.close('not shared');
        const sessions = this.uploads.get(source.id) ?? new Set();
        this.uploads.set(source.id, sessions);
        const session: UploadSession = new UploadSession(link, source, () => sessions.delete(session), {
          corrupt: options.corruptUploads,
          throttle: this.uploadThrottle,
        });
        sessions.add(session);
      },
    });
    this.announceTimer = setInterval(() => void this.announcePieces(), ANNOUNCE_INTERVAL_MS);
  }

  /** What this page can serve of a file: all of a shared one, or the verified pieces of a download in progress. */
  private sourceOf(fileId: string): PieceSource | null {
    const file = this.shared.get(fileId);
    if (file) return completeSource(file);
    for (const entry of this.transfers.values()) {
      if (entry.download.fileId === fileId) {
        const source = entry.download.source();
        if (source) return source;
      }
    }
    return null;
  }

  /** Tells the tracker which pieces this page holds of files it is still downloading (throttled, batched). */
  private async announcePieces(): Promise<void> {
    if (!this.tracker.online) return;
    const changed: { entry: TransferEntry; version: number; have: Uint8Array<ArrayBuffer> }[] = [];
    for (const entry of this.transfers.values()) {
      const held = entry.download.heldPieces();
      if (entry.download.finished || !held || held.version === 0 || held.version === entry.announcedVersion) continue;
      changed.push({ entry, version: held.version, have: new Uint8Array(held.bitfield) });
    }
    for (let at = 0; at < changed.length; at += MAX_FILES_PER_ANNOUNCE) {
      const batch = changed.slice(at, at + MAX_FILES_PER_ANNOUNCE);
      const send = (items: typeof batch) =>
        this.tracker.request('files:announce', {
          files: items.map(({ entry, have }) => ({ id: entry.download.fileId, have })),
        });
      const result = await send(batch);
      if (result.ok) {
        for (const { entry, version } of batch) entry.announcedVersion = version;
        continue;
      }
      if (isTransient(result.error.code)) continue;
      // Announcements are all-or-nothing: one file the tracker refuses (say, its last holder left) must not hold up
      // the others, so they go one by one; a refused one is not retried until it has a new piece.
      for (const item of batch) {
        const single = await send([item]);
        if (single.ok || !isTransient(single.error.code)) item.entry.announcedVersion = item.version;
      }
    }
  }

  // ---- sharing ----

  /** Hashes and shares files the user dropped or picked. */
  shareFiles(files: Iterable<File>): void {
    for (const file of files) void this.shareFile(file);
  }

  private async shareFile(file: File): Promise<void> {
    const key = this.addShareView(file.name, file.size, null);
    try {
      const start = performance.now();
      const { id, manifest } = await this.hasher.hash(file, (hashedBytes) => this.updateShare(key, { hashedBytes }));
      performance.measure('shoal:hash', { start, detail: { name: file.name, bytes: file.size } });
      if (!this.state.getSnapshot().shares.some((share) => share.key === key)) return; // removed while hashing
      if (this.shared.has(id)) {
        this.updateShare(key, { status: 'failed', id, error: 'Already shared' });
        return;
      }
      this.addShared(key, {
        id,
        name: file.name,
        mimeType: file.type,
        data: file,
        manifestBytes: manifest,
        manifest: decodeManifest(manifest),
      });
    } catch (error) {
      this.updateShare(key, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Lists a file under "My shared files" (hashing until `addShared` or a failure updates it); returns its key. */
  private addShareView(name: string, size: number, id: string | null): string {
    const key = newKey('share');
    const view: ShareView = {
      key,
      name,
      size,
      status: 'hashing',
      hashedBytes: id ? size : 0,
      id,
      registered: false,
      error: null,
    };
    this.state.update((s) => ({ ...s, shares: [...s.shares, view] }));
    return key;
  }

  private addShared(key: string, file: SharedFile): void {
    this.shared.set(file.id, file);
    this.updateShare(key, { status: 'shared', hashedBytes: file.data.size, id: file.id });
    void this.register([file]);
  }

  /** Stops sharing (or forgets a failed entry). */
  unshare(key: string): void {
    const view = this.state.getSnapshot().shares.find((share) => share.key === key);
    if (!view) return;
    this.state.update((s) => ({ ...s, shares: s.shares.filter((share) => share.key !== key) }));
    if (view.status !== 'shared' || !view.id) return;
    this.shared.delete(view.id);
    for (const session of this.uploads.get(view.id) ?? []) session.stop();
    this.uploads.delete(view.id);
    void this.tracker.request('files:unregister', { fileIds: [view.id] });
  }

  private updateShare(key: string, change: Partial<ShareView>): void {
    this.state.update((s) => ({
      ...s,
      shares: s.shares.map((share) => (share.key === key ? { ...share, ...change } : share)),
    }));
  }

  private async register(files: SharedFile[]): Promise<void> {
    for (let at = 0; at < files.length; at += MAX_FILES_PER_REGISTER) {
      const batch = files.slice(at, at + MAX_FILES_PER_REGISTER);
      const registrations: FileRegistration[] = batch.map((file) => ({
        id: file.id,
        name: sanitizeFileName(file.name, MAX_FILE_NAME_LENGTH),
        size: file.manifest.size,
        mimeType: file.mimeType.length <= MAX_MIME_TYPE_LENGTH ? file.mimeType : '',
      }));
      const result = await this.tracker.request('files:register', { files: registrations });
      const ids = new Set(batch.map((file) => file.id));
      this.state.update((s) => ({
        ...s,
        shares: s.shares.map((share) =>
          share.id && ids.has(share.id) && share.status === 'shared'
            ? {
                ...share,
                registered: result.ok,
                error: result.ok || result.error.code === 'OFFLINE' ? null : result.error.message,
              }
            : share,
        ),
      }));
    }
  }

  private onWelcome(): void {
    this.state.update((s) => ({
      ...s,
      tracker: { ...s.tracker, peerId: this.tracker.peerId },
      shares: s.shares.map((share) => ({ ...share, registered: false })),
    }));
    void this.register([...this.shared.values()]);
    for (const entry of this.transfers.values()) {
      entry.announcedVersion = 0; // a new session knows nothing of our pieces
      entry.download.trackerOnline();
    }
    if (this.state.getSnapshot().search.query) this.search(this.state.getSnapshot().search.query);
  }

  // ---- search ----

  /** Searches the registry; only the latest query's answer is kept. */
  search(query: string): void {
    const seq = ++this.searchSeq;
    if (query.trim() === '') {
      this.state.update((s) => ({ ...s, search: { ...initialEngineState.search, query } }));
      return;
    }
    this.state.update((s) => ({ ...s, search: { ...s.search, query, status: 'searching', error: null } }));
    void this.tracker.request('files:search', { query, limit: MAX_SEARCH_LIMIT }).then((result) => {
      if (seq !== this.searchSeq) return;
      this.state.update((s) => ({
        ...s,
        search: result.ok
          ? { query, status: 'done', results: result.data.results, total: result.data.total, error: null }
          : { ...s.search, status: 'failed', error: result.error.message },
      }));
    });
  }

  // ---- downloading ----

  /** Starts downloading a search result; a file already downloading is not started twice. */
  download(result: SearchResult): void {
    for (const entry of this.transfers.values()) {
      if (entry.download.fileId === result.id && !entry.download.finished) return;
    }
    const key = newKey('transfer');
    const createPieceStore = this.options.createPieceStore ?? ((_id, manifest) => new WorkerPieceStore(manifest));
    const entry: TransferEntry = {
      key,
      name: result.name,
      announcedVersion: 0,
      download: new Download(result.id, result.size, result.mimeType, {
        findHolders: async (fileId) => {
          const found = await this.tracker.request('files:holders', { fileId });
          return found.ok ? { ok: true, data: found.data.holders } : found;
        },
        connect: (peerId, fileId) => this.router.connect(peerId, fileId),
        createStore: createPieceStore,
        onChange: () => {
          this.schedulePublish();
          // The first verified piece is announced at once, so the tracker lists this page as a source early.
          if (entry.announcedVersion === 0 && entry.download.heldPieces()?.version === 1) void this.announcePieces();
        },
        onComplete: (file, manifest) => this.onDownloaded(entry, file, manifest),
        tuning: this.options.maxPeersPerDownload ? { maxPeers: this.options.maxPeersPerDownload } : {},
      }),
    };
    this.transfers.set(key, entry);
    this.publishTransfers();
  }

  private onDownloaded(entry: TransferEntry, file: Blob, manifest: Manifest): void {
    this.publishTransfers();
    this.options.save(file, entry.name);
    // A finished download is shared from this page like any other file.
    if (!this.shared.has(entry.download.fileId)) {
      const key = this.addShareView(entry.name, file.size, entry.download.fileId);
      this.addShared(key, {
        id: entry.download.fileId,
        name: entry.name,
        mimeType: entry.download.mimeType,
        data: file,
        manifestBytes: encodeManifest(manifest),
        manifest,
      });
    }
  }

  /** Saves a finished download again. */
  saveTransfer(key: string): void {
    const entry = this.transfers.get(key);
    const file = entry?.download.file;
    if (entry && file) this.options.save(file, entry.name);
  }

  cancelTransfer(key: string): void {
    const entry = this.transfers.get(key);
    if (!entry || entry.download.finished) return;
    entry.download.cancel();
    const fileId = entry.download.fileId;
    if (!this.shared.has(fileId)) {
      // Nothing of it is served any more: end uploads of its pieces and withdraw them from the tracker.
      for (const session of this.uploads.get(fileId) ?? []) session.stop();
      this.uploads.delete(fileId);
      if (entry.announcedVersion > 0) void this.tracker.request('files:unregister', { fileIds: [fileId] });
    }
    this.publishTransfers();
  }

  /** Removes a finished transfer from the list. */
  dismissTransfer(key: string): void {
    const entry = this.transfers.get(key);
    if (!entry?.download.finished) return;
    this.transfers.delete(key);
    this.publishTransfers();
  }

  private schedulePublish(): void {
    if (this.publishTimer) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = null;
      this.publishTransfers();
    }, PUBLISH_INTERVAL_MS);
  }

  private publishTransfers(): void {
    const transfers: TransferView[] = [...this.transfers.values()].map((entry) => ({
      key: entry.key,
      fileId: entry.download.fileId,
      name: entry.name,
      ...entry.download.snapshot(),
    }));
    this.state.update((s) => ({ ...s, transfers }));
  }

  destroy(): void {
    clearInterval(this.announceTimer);
    for (const entry of this.transfers.values()) entry.download.cancel();
    this.hasher.close();
    this.tracker.close();
  }
}
