import {
  FOLDER_MIME_TYPE,
  MAX_FILES_PER_ANNOUNCE,
  decodeFolderListing,
  encodeManifest,
  hasBit,
  type FolderListing,
  type Manifest,
  type SearchResult,
} from '@shoal/common';
import { formatBytes } from '../../format.ts';
import type { EngineState, StorageView, TransferView } from '../engine-state.ts';
import type { WireLink } from '../peer/wire-link.ts';
import { clearFolderExports, zipFolder, type FolderToSave } from '../save-folder.ts';
import type { PieceSource } from '../share/piece-source.ts';
import type { Sharing } from '../share/sharing.ts';
import type { DownloadStorage, StoredDownload } from '../storage/download-storage.ts';
import type { WritableStore } from '../store.ts';
import type { TrackerClient } from '../tracker-client.ts';
import { Download, type ResumeState } from './download.ts';
import { FolderDownload } from './folder-download.ts';
import { FolderDownloadsMemory } from './folder-downloads-memory.ts';

/** Transfer progress reaches the store at most this often. */
const PUBLISH_INTERVAL_MS = 200;

export interface TransfersDeps {
  /** The engine's state: this keeps its `transfers` and `storage`. */
  state: WritableStore<EngineState>;
  storage: Promise<DownloadStorage>;
  /** What the page shares: finished downloads join it, and what it holds is not fetched again. */
  sharing: Sharing;
  tracker: Pick<TrackerClient, 'request' | 'online'>;
  /** Opens a link to a holder about a file. */
  connect(peerId: string, fileId: string): WireLink;
  /** Hands a finished download to the user. */
  save(file: Blob, name: string): void;
  maxPeersPerDownload?: number;
  /** Nothing of this file is served any more: end its uploads. */
  stopUploads(fileId: string): void;
  reportProblem(message: string): void;
  /** Which folder downloads (and parts of folders) are under way, kept across reloads (default: not kept). */
  folderDownloads?: FolderDownloadsMemory;
}

interface TransferEntry {
  key: string;
  name: string;
  mimeType: string;
  download: Download;
  /** `HeldPieces.version` last announced to the tracker. */
  announcedVersion: number;
  /** The folder download this is the listing or one of the files of (listed and saved as part of it). */
  folder: FolderDownload | null;
}

/** Errors worth retrying as they are: the tracker was busy or out of reach. */
function isTransient(code: string): boolean {
  return code === 'RATE_LIMITED' || code === 'TIMEOUT' || code === 'OFFLINE';
}

let nextKey = 1;
const newKey = (prefix: string) => `${prefix}-${nextKey++}`;

/** The name a folder download goes by: the shared folder's, or for a part of it, that folder's own. */
const partName = (name: string, path: string) => (path === '' ? name : path.slice(path.lastIndexOf('/') + 1));

/**
 * The page's downloads: files and folders, started from search results or resumed from browser storage after a
 * reload, announced to the tracker as their pieces verify, listed in the engine's state, saved when done and then
 * shared. Keeps the storage row (what downloads take, what is free) too.
 */
export class Transfers {
  private readonly state: WritableStore<EngineState>;
  private readonly transfers = new Map<string, TransferEntry>();
  /** Folders being downloaded, by transfer key. */
  private readonly folders = new Map<string, FolderDownload>();
  /** Downloads refused before they started (no room), listed until dismissed. */
  private refused: TransferView[] = [];
  private publishTimer: ReturnType<typeof setTimeout> | null = null;
  /** Ids of shared files whose bytes are a finished download in browser storage (removing them frees it). */
  private readonly storedFiles = new Set<string>();
  private readonly folderDownloads: FolderDownloadsMemory;

  constructor(private readonly deps: TransfersDeps) {
    this.state = deps.state;
    this.folderDownloads = deps.folderDownloads ?? new FolderDownloadsMemory(null);
  }

  /** What a download in progress can serve of a file (its verified pieces), if any. */
  partialSource(fileId: string): PieceSource | null {
    for (const entry of this.transfers.values()) {
      if (entry.download.fileId === fileId) {
        const source = entry.download.source();
        if (source) return source;
      }
    }
    return null;
  }

  /** A new tracker session: it knows nothing of our pieces, and waiting downloads look for holders at once. */
  trackerOnline(): void {
    for (const entry of this.transfers.values()) {
      entry.announcedVersion = 0;
      entry.download.trackerOnline();
    }
  }

  /** A shared file stopped being shared: if it was a finished download, its browser storage is freed. */
  unshared(fileId: string): void {
    if (!this.storedFiles.delete(fileId)) return;
    void this.deps.storage.then((storage) => storage.remove(fileId)).then(() => this.refreshStorageEstimate());
  }

  /** The pieces each download found in storage when it resumed after a reload (engine transfer statistics). */
  restoredPieces(): Record<string, number[]> {
    const restored: Record<string, number[]> = {};
    for (const entry of this.transfers.values()) {
      const bitfield = entry.download.restoredPieces;
      if (!bitfield) continue;
      const indices: number[] = [];
      for (let index = 0; index < bitfield.length * 8; index++) if (hasBit(bitfield, index)) indices.push(index);
      restored[entry.download.fileId] = indices;
    }
    return restored;
  }

  /** The page is going away: downloads stay in storage, and the next load goes on with them. */
  closeAll(): void {
    for (const entry of this.transfers.values()) entry.download.close();
  }

  /** Picks up what storage kept from before the page loaded: finished downloads to share, others to go on with. */
  async restore(storage: DownloadStorage): Promise<void> {
    this.updateStorage({
      status: 'ready',
      persistent: storage.persistent,
      note: storage.persistent
        ? null
        : 'Downloads are kept in memory in this tab: another Shoal tab holds the browser storage, or this browser has none.',
    });
    if (storage.persistent) void clearFolderExports();
    // Folders whose listing is here: their files' unfinished downloads go on as part of them.
    const folderOf = new Map<string, { stored: StoredDownload; listing: FolderListing }>();
    const listings = new Map<StoredDownload, { file: File; listing: FolderListing }>();
    for (const stored of storage.stored) {
      if (!stored.file || stored.mimeType !== FOLDER_MIME_TYPE) continue;
      try {
        const listing = decodeFolderListing(new Uint8Array(await stored.file.arrayBuffer()));
        listings.set(stored, { file: stored.file, listing });
        for (const file of listing.files) folderOf.set(file.id, { stored, listing });
      } catch {
        // Not a usable listing: it is still shared as the file it is.
      }
    }
    const resumedFolders = new Map<StoredDownload, { listing: FolderListing; members: Map<string, Download> }>();
    for (const stored of storage.stored) {
      if (stored.file) {
        this.shareStored(stored, stored.file);
        continue;
      }
      const entry = await this.resumeStored(storage, stored);
      const folder = folderOf.get(stored.fileId);
      if (!entry || !folder) continue;
      const resumed = resumedFolders.get(folder.stored) ?? { listing: folder.listing, members: new Map() };
      resumed.members.set(stored.fileId, entry.download);
      resumedFolders.set(folder.stored, resumed);
    }
    for (const [stored, { listing, members }] of resumedFolders) {
      // The parts of the folder that were being downloaded (all of it when none is remembered).
      const folders = this.rememberedParts(stored.fileId).map((path) =>
        this.newFolder(stored.fileId, partName(stored.name, path), null, path),
      );
      for (const download of members.values()) {
        const entry = [...this.transfers.values()].find((candidate) => candidate.download === download);
        const paths = listing.files.filter((file) => file.id === download.fileId).map((file) => file.path);
        const part = folders.find((folder) => paths.some((path) => isUnder(path, folder.prefix)));
        // A file of no part goes on as a download of its own.
        if (entry) entry.folder = part ?? null;
      }
      for (const folder of folders) folder.adopt(listing, members);
    }
    // Folder downloads whose listing had arrived but none of whose files had started: they start now.
    for (const [stored, { file }] of listings) {
      if (resumedFolders.has(stored)) continue;
      for (const path of this.folderDownloads.pathsOf(stored.fileId)) {
        void this.newFolder(stored.fileId, partName(stored.name, path), null, path).listingArrived(file);
      }
    }
    void this.refreshStorageEstimate();
  }

  private shareStored(stored: StoredDownload, file: File): void {
    if (this.deps.sharing.files.has(stored.fileId)) return;
    this.storedFiles.add(stored.fileId);
    this.deps.sharing.addComplete({
      id: stored.fileId,
      name: stored.name,
      mimeType: stored.mimeType,
      data: file,
      manifestBytes: stored.manifestBytes,
      manifest: stored.manifest,
    });
  }

  private async resumeStored(storage: DownloadStorage, stored: StoredDownload): Promise<TransferEntry | null> {
    try {
      const store = await storage.resume(stored);
      const { manifest, manifestBytes, verified, paused } = stored;
      const resume = { manifest, manifestBytes, verified, paused, store };
      if (stored.mimeType === FOLDER_MIME_TYPE) {
        this.startFolder(stored.fileId, stored.name, manifest.size, resume);
        return null;
      }
      return this.startDownload(stored.fileId, stored.name, manifest.size, stored.mimeType, resume);
    } catch (error) {
      this.updateStorage({ note: `Could not resume ${stored.name}: ${String(error)}` });
      return null;
    }
  }

  updateStorage(change: Partial<StorageView>): void {
    this.state.update((s) => ({ ...s, storage: { ...s.storage, ...change } }));
  }

  /** What the page's downloads take (their files' full sizes) and what the browser says is free. */
  private async refreshStorageEstimate(): Promise<void> {
    const storage = await this.deps.storage;
    let usedBytes = 0;
    for (const entry of this.transfers.values()) {
      if (!entry.download.finished) usedBytes += entry.download.size;
    }
    for (const id of this.storedFiles) usedBytes += this.deps.sharing.files.get(id)?.manifest.size ?? 0;
    const estimate = storage.persistent ? await storage.estimate() : null;
    this.updateStorage({
      usedBytes,
      freeBytes: estimate ? Math.max(0, estimate.quota - estimate.usage) : null,
    });
  }

  /** Tells the tracker which pieces this page holds of files it is still downloading (throttled, batched). */
  async announcePieces(): Promise<void> {
    if (!this.deps.tracker.online) return;
    const changed: { entry: TransferEntry; version: number; have: Uint8Array<ArrayBuffer> }[] = [];
    for (const entry of this.transfers.values()) {
      const held = entry.download.heldPieces();
      if (entry.download.finished || !held || held.version === 0 || held.version === entry.announcedVersion) continue;
      changed.push({ entry, version: held.version, have: new Uint8Array(held.bitfield) });
    }
    for (let at = 0; at < changed.length; at += MAX_FILES_PER_ANNOUNCE) {
      const batch = changed.slice(at, at + MAX_FILES_PER_ANNOUNCE);
      const send = (items: typeof batch) =>
        this.deps.tracker.request('files:announce', {
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

  /**
   * Starts downloading a search result, once storage says it has room; a file already downloading or shared is not
   * started twice.
   */
  async download(result: SearchResult): Promise<void> {
    if (result.mimeType === FOLDER_MIME_TYPE) return this.downloadFolder({ ...result, path: '' });
    if (this.isDownloading(result.id)) return;
    const held = this.deps.sharing.files.get(result.id);
    if (held) {
      // This page has it already (shared, or downloaded before): nothing to fetch, and its storage must not be
      // started over underneath the copy being shared.
      this.deps.save(held.data, result.name);
      return;
    }
    const storage = await this.deps.storage;
    if (storage.persistent) void storage.persist();
    const refusal = await this.checkRoom(result.size);
    if (refusal) {
      this.refuseDownload(result, refusal);
      return;
    }
    if (this.isDownloading(result.id)) return;
    this.startDownload(result.id, result.name, result.size, result.mimeType);
    void this.refreshStorageEstimate();
  }

  /**
   * Downloads a shared folder (its listing `id`, `size` bytes, shared under `name`), all of it or, with a `path`, the
   * folder at that path in it; a folder (or part) already downloading is not started twice. The listing is fetched
   * once for every part of the folder asked for meanwhile.
   */
  async downloadFolder({
    id,
    name,
    size,
    path,
  }: {
    id: string;
    name: string;
    size: number;
    path: string;
  }): Promise<void> {
    const running = (): boolean =>
      [...this.folders.values()].some(
        (folder) => folder.listingId === id && folder.prefix === path && !folder.finished,
      );
    if (running()) return;
    const storage = await this.deps.storage;
    if (running()) return;
    // Only where downloads survive a reload is it worth remembering which part of the folder this one is for.
    if (storage.persistent) this.folderDownloads.remember(id, path);
    const held = this.deps.sharing.files.get(id);
    if (held) {
      // The page has the listing already (shared, or downloaded before): its storage must not be started over.
      void this.newFolder(id, partName(name, path), null, path).listingArrived(held.data);
      return;
    }
    if (storage.persistent) void storage.persist();
    const refusal = await this.checkRoom(size);
    if (refusal) {
      this.folderDownloads.forget(id, path);
      const result = {
        id,
        name: partName(name, path),
        names: [partName(name, path)],
        nameCount: 1,
        size,
        mimeType: FOLDER_MIME_TYPE,
        holders: 0,
        partialHolders: 0,
        availability: 0,
      };
      this.refuseDownload(result, refusal);
      return;
    }
    if (running()) return;
    const listing = [...this.transfers.values()].find(
      (entry) => entry.download.fileId === id && !entry.download.finished,
    );
    if (listing) {
      // Its listing is on its way for another part of the folder: this part starts when it is here.
      this.newFolder(id, partName(name, path), listing.download, path);
      this.publishTransfers();
      return;
    }
    const listingEntry = this.startDownload(id, name, size, FOLDER_MIME_TYPE);
    listingEntry.folder = this.newFolder(id, partName(name, path), listingEntry.download, path);
    void this.refreshStorageEstimate();
  }

  /** Whether `bytes` more fit in browser storage; the refusal to show when not. */
  private async checkRoom(bytes: number): Promise<string | null> {
    const storage = await this.deps.storage;
    const estimate = storage.persistent ? await storage.estimate() : null;
    const free = estimate ? estimate.quota - estimate.usage : Infinity;
    return bytes > free
      ? `Not enough browser storage: it needs ${formatBytes(bytes)}, ${formatBytes(Math.max(0, free))} is free.`
      : null;
  }

  /** Goes on with a folder download whose listing had not arrived before a reload: each part being downloaded. */
  private startFolder(listingId: string, name: string, size: number, resume?: ResumeState): void {
    const listingEntry = this.startDownload(listingId, name, size, FOLDER_MIME_TYPE, resume);
    const folders = this.rememberedParts(listingId).map((path) =>
      this.newFolder(listingId, partName(name, path), listingEntry.download, path),
    );
    listingEntry.folder = folders[0] ?? null;
  }

  /** The parts of a shared folder remembered as being downloaded, or the whole folder when none is. */
  private rememberedParts(listingId: string): string[] {
    const paths = this.folderDownloads.pathsOf(listingId);
    return paths.length > 0 ? paths : [''];
  }

  private newFolder(listingId: string, name: string, listingDownload: Download | null, prefix = ''): FolderDownload {
    const key = newKey('folder');
    const folder: FolderDownload = new FolderDownload(key, name, listingId, listingDownload, prefix, {
      startMember: (file) => {
        const running = [...this.transfers.values()].find(
          (entry) => entry.download.fileId === file.id && !entry.download.finished,
        );
        if (running) {
          running.folder = folder;
          return running.download;
        }
        const baseName = file.path.slice(file.path.lastIndexOf('/') + 1);
        return this.startDownload(file.id, baseName, file.size, '', undefined, folder).download;
      },
      held: (fileId) => this.deps.sharing.files.get(fileId)?.data ?? null,
      checkRoom: (bytes) => this.checkRoom(bytes),
      onChange: () => this.schedulePublish(),
      onComplete: () => {
        this.folderDownloads.forget(listingId, prefix);
        void this.saveFolder(folder);
      },
    });
    this.folders.set(key, folder);
    return folder;
  }

  private async saveFolder(folder: FolderDownload): Promise<void> {
    const parts = folder.parts();
    if (!parts) return;
    try {
      this.deps.save(await zipFolder(parts), `${parts.name}.zip`);
    } catch (error) {
      this.deps.reportProblem(`Could not save the folder ${parts.name}: ${String(error)}`);
    }
  }

  /** A finished folder download's name, files and empty folders, to write where the user picks. */
  finishedFolder(key: string): FolderToSave | null {
    return this.folders.get(key)?.parts() ?? null;
  }

  private isDownloading(fileId: string): boolean {
    for (const folder of this.folders.values()) if (folder.listingId === fileId && !folder.finished) return true;
    for (const entry of this.transfers.values())
      if (entry.download.fileId === fileId && !entry.download.finished) return true;
    return false;
  }

  /** Lists a download that could not start, with why. */
  private refuseDownload(result: SearchResult, message: string): void {
    const view: TransferView = {
      key: newKey('transfer'),
      fileId: result.id,
      name: result.name,
      isFolder: result.mimeType === FOLDER_MIME_TYPE,
      status: 'failed',
      totalBytes: result.size,
      verifiedBytes: 0,
      bytesPerSecond: 0,
      secondsLeft: null,
      peers: 0,
      sources: [],
      queue: [],
      message,
    };
    this.refused.push(view);
    this.publishTransfers();
  }

  private startDownload(
    fileId: string,
    name: string,
    size: number,
    mimeType: string,
    resume?: ResumeState,
    folder: FolderDownload | null = null,
  ): TransferEntry {
    const key = newKey('transfer');
    const entry: TransferEntry = {
      key,
      name,
      mimeType,
      announcedVersion: 0,
      folder,
      download: new Download(fileId, size, mimeType, {
        findHolders: async (fileId) => {
          const found = await this.deps.tracker.request('files:holders', { fileId });
          return found.ok ? { ok: true, data: found.data.holders } : found;
        },
        connect: (peerId, fileId) => this.deps.connect(peerId, fileId),
        createStore: async (manifest, manifestBytes) =>
          (await this.deps.storage).create({ fileId, name, mimeType, manifest, manifestBytes }),
        resume,
        onChange: () => {
          this.schedulePublish();
          // The first verified piece is announced at once, so the tracker lists this page as a source early.
          if (entry.announcedVersion === 0 && entry.download.heldPieces()?.version === 1) void this.announcePieces();
        },
        onComplete: (file, manifest) => this.onDownloaded(entry, file, manifest),
        tuning: this.deps.maxPeersPerDownload ? { maxPeers: this.deps.maxPeersPerDownload } : {},
      }),
    };
    this.transfers.set(key, entry);
    this.publishTransfers();
    return entry;
  }

  private onDownloaded(entry: TransferEntry, file: Blob, manifest: Manifest): void {
    this.publishTransfers();
    // A folder's listing and files are saved together once all are here; any other file is saved now.
    if (!entry.folder) this.deps.save(file, entry.name);
    // A finished download is shared from this page like any other file, from browser storage when it is there.
    if (!this.deps.sharing.files.has(entry.download.fileId)) {
      if (file instanceof File) this.storedFiles.add(entry.download.fileId);
      this.deps.sharing.addComplete({
        id: entry.download.fileId,
        name: entry.name,
        mimeType: entry.download.mimeType,
        data: file,
        manifestBytes: encodeManifest(manifest),
        manifest,
      });
    }
    // Every folder (or part of one) waiting for this listing goes on with it.
    const waiting = [...this.folders.values()].filter((folder) => folder.listingDownload === entry.download);
    if (waiting.length > 0) for (const folder of waiting) void folder.listingArrived(file);
    else entry.folder?.memberChanged();
  }

  /** Saves a finished download again. */
  saveTransfer(key: string): void {
    const folder = this.folders.get(key);
    if (folder) {
      void this.saveFolder(folder);
      return;
    }
    const entry = this.transfers.get(key);
    const file = entry?.download.file;
    if (entry && file) this.deps.save(file, entry.name);
  }

  /** A finished download's file and name, to save where the user picks. */
  finishedFile(key: string): { file: Blob; name: string } | null {
    const entry = this.transfers.get(key);
    const file = entry?.download.file;
    return entry && file ? { file, name: entry.name } : null;
  }

  pauseTransfer(key: string): void {
    const folder = this.folders.get(key);
    if (folder) folder.pause();
    else this.transfers.get(key)?.download.pause();
    this.publishTransfers();
  }

  resumeTransfer(key: string): void {
    const folder = this.folders.get(key);
    if (folder) folder.resume();
    else this.transfers.get(key)?.download.resume();
    this.publishTransfers();
  }

  /** Stops a download (all of a folder's) and frees its storage. */
  cancelTransfer(key: string): void {
    const folder = this.folders.get(key);
    if (folder) {
      // Another part of the same folder waiting for the listing takes its download over.
      const heir = [...this.folders.values()].find(
        (other) => other !== folder && !other.finished && other.listingDownload === folder.listingDownload,
      );
      folder.cancel(heir !== undefined && folder.listingDownload !== null);
      this.folderDownloads.forget(folder.listingId, folder.prefix);
      for (const entry of this.transfers.values()) {
        if (entry.folder !== folder) continue;
        if (heir && entry.download === folder.listingDownload) entry.folder = heir;
        else this.cancelEntry(entry);
      }
      this.publishTransfers();
      return;
    }
    const entry = this.transfers.get(key);
    if (entry) this.cancelEntry(entry);
    this.publishTransfers();
  }

  private cancelEntry(entry: TransferEntry): void {
    if (entry.download.snapshot().status === 'complete') return;
    entry.download.cancel();
    void this.refreshStorageEstimate();
    const fileId = entry.download.fileId;
    if (!this.deps.sharing.files.has(fileId)) {
      // Nothing of it is served any more: end uploads of its pieces and withdraw them from the tracker.
      this.deps.stopUploads(fileId);
      if (entry.announcedVersion > 0) void this.deps.tracker.request('files:unregister', { fileIds: [fileId] });
    }
  }

  /** Removes a finished transfer from the list. */
  dismissTransfer(key: string): void {
    this.refused = this.refused.filter((view) => view.key !== key);
    const folder = this.folders.get(key);
    if (folder?.finished) {
      this.folderDownloads.forget(folder.listingId, folder.prefix);
      this.folders.delete(key);
      for (const [entryKey, entry] of this.transfers) if (entry.folder === folder) this.transfers.delete(entryKey);
    }
    const entry = this.transfers.get(key);
    if (entry?.download.finished) this.transfers.delete(key);
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
    const transfers: TransferView[] = [
      ...this.refused,
      ...[...this.folders.values()].map((folder) => ({
        key: folder.key,
        fileId: folder.listingId,
        name: folder.name,
        isFolder: true,
        ...folder.snapshot(),
      })),
      ...[...this.transfers.values()]
        .filter((entry) => !entry.folder)
        .map((entry) => ({
          key: entry.key,
          fileId: entry.download.fileId,
          name: entry.name,
          isFolder: false,
          ...entry.download.snapshot(),
        })),
    ];
    this.state.update((s) => ({ ...s, transfers }));
  }
}

/** Whether `path` (of a file in a shared folder) lies in the folder at `prefix` ('' for the whole folder). */
function isUnder(path: string, prefix: string): boolean {
  return prefix === '' || path.startsWith(`${prefix}/`);
}
