import {
  FOLDER_MIME_TYPE,
  MAX_FILE_NAME_LENGTH,
  MAX_FILES_PER_REGISTER,
  MAX_MIME_TYPE_LENGTH,
  decodeManifest,
  encodeFolderListing,
  sanitizeFileName,
  sanitizePath,
  sanitizePathSegment,
  type FileRegistration,
  type FolderFile,
} from '@shoal/common';
import type { EngineState, ShareView } from '../engine-state.ts';
import type { Hasher } from '../hashing/hasher.ts';
import type { WritableStore } from '../store.ts';
import type { TrackerClient } from '../tracker-client.ts';
import { readFolderHandle, type LocalFolder } from './local-folder.ts';
import { sameFile, type LedgerEntry, type ShareLedger } from './share-ledger.ts';
import type { SharedFile } from './shared-file.ts';

export interface SharingDeps {
  /** The engine's state: this keeps its `shares`. */
  state: WritableStore<EngineState>;
  hasher: Hasher;
  ledger: ShareLedger;
  tracker: Pick<TrackerClient, 'request'>;
  /** These files are no longer shared: withdraw them from the tracker, end their uploads, free what holds them. */
  onUnshared(ids: string[]): void;
}

let nextKey = 1;
const newKey = () => `share-${nextKey++}`;

/**
 * What this page shares: files and folders the user gave (hashed in a worker, then registered with the tracker and
 * remembered for after a reload), and finished downloads. Keeps the "My shared files" rows of the engine's state.
 */
export class Sharing {
  /** Shared files by id: what the page serves in full. */
  readonly files = new Map<string, SharedFile>();
  private readonly state: WritableStore<EngineState>;
  /** Files shared from disk before a reload, by share key, until the user gives access to them again. */
  private readonly awaitingAccess = new Map<string, LedgerEntry>();
  /** Shared folders by share key: the listing's id and the ids of the files the folder added. */
  private readonly sharedFolders = new Map<string, string[]>();
  /** Ids the tracker acknowledged registering in this session: what peers browsing this page are shown. */
  private readonly registered = new Set<string>();
  /** Changes whenever {@link browsable} may give something else. */
  private browsableVersion = 0;

  constructor(private readonly deps: SharingDeps) {
    this.state = deps.state;
  }

  /** Shared files the tracker lists for this page right now: all that peers browsing it may see. */
  browsable(): { version: number; files: SharedFile[] } {
    const files: SharedFile[] = [];
    for (const id of this.registered) {
      const file = this.files.get(id);
      if (file) files.push(file);
    }
    return { version: this.browsableVersion, files };
  }

  /** Registers everything shared again (a new tracker session knows nothing of it). */
  registerAll(): void {
    this.registered.clear();
    this.browsableVersion++;
    this.state.update((s) => ({ ...s, shares: s.shares.map((share) => ({ ...share, registered: false })) }));
    void this.register([...this.files.values()]);
  }

  /** Shares a complete file this page got otherwise (a finished download), listing it like the others. */
  addComplete(file: SharedFile): void {
    if (this.files.has(file.id)) return;
    this.addShared(this.addShareView(file.name, file.manifest.size, file.id), file);
  }

  /**
   * Hashes and shares files the user dropped or picked; `handles` are the ways back to them the browser gave (for
   * dropped files), kept so they can be shared again after a reload with one click.
   */
  shareFiles(files: Iterable<File>, handles: ReadonlyMap<File, FileSystemFileHandle> = new Map()): void {
    for (const file of files) void this.shareFile(file, handles.get(file) ?? null);
  }

  /**
   * Shares a folder: every file in it (hashed one after another, shown as one row), then its listing, which names
   * each file by path and content id and is itself shared under the folder's name, so search finds the folder and a
   * download of it brings every file to its place. `files` paths are relative to the folder, "/"-separated.
   */
  shareFolder(
    name: string,
    files: readonly { file: File; path: string }[],
    emptyFolders: readonly string[] = [],
    handle: FileSystemDirectoryHandle | null = null,
  ): void {
    void this.shareFolderNow(sanitizePathSegment(name) ?? 'folder', files, emptyFolders, handle);
  }

  private async shareFolderNow(
    name: string,
    files: readonly { file: File; path: string }[],
    emptyFolders: readonly string[],
    handle: FileSystemDirectoryHandle | null,
  ): Promise<void> {
    const total = files.reduce((sum, { file }) => sum + file.size, 0);
    const key = this.addShareView(name, total, null, true);
    const added: SharedFile[] = [];
    const entries: FolderFile[] = [];
    const paths = new Set<string>();
    let hashed = 0;
    try {
      for (const { file, path } of files) {
        const safe = sanitizePath(path);
        if (safe === null || paths.has(safe)) continue; // cannot be placed safely, or twice the same place
        paths.add(safe);
        const { id, manifest } = await this.deps.hasher.hash(file, (bytes) =>
          this.updateShare(key, { hashedBytes: hashed + bytes }),
        );
        hashed += file.size;
        if (!this.state.getSnapshot().shares.some((share) => share.key === key)) return; // removed while hashing
        entries.push({ path: safe, id, size: file.size });
        if (this.files.has(id) || added.some((other) => other.id === id)) continue;
        const baseName = safe.slice(safe.lastIndexOf('/') + 1);
        const manifestBytes = manifest;
        added.push({
          id,
          name: baseName,
          mimeType: file.type,
          data: file,
          manifestBytes,
          manifest: decodeManifest(manifest),
        });
      }
      const folders = emptyFolders
        .map(sanitizePath)
        .filter((path): path is string => path !== null && !paths.has(path));
      const listingBytes = encodeFolderListing({ name, files: entries, emptyFolders: [...new Set(folders)] });
      const listingFile = new File([listingBytes as Uint8Array<ArrayBuffer>], name, { type: FOLDER_MIME_TYPE });
      const { id, manifest } = await this.deps.hasher.hash(listingFile, () => {});
      if (!this.state.getSnapshot().shares.some((share) => share.key === key)) return;
      if (this.files.has(id)) {
        this.updateShare(key, { status: 'failed', id, error: 'Already shared' });
        return;
      }
      const listing: SharedFile = {
        id,
        name,
        mimeType: FOLDER_MIME_TYPE,
        data: listingFile,
        manifestBytes: manifest,
        manifest: decodeManifest(manifest),
      };
      for (const file of [...added, listing]) this.files.set(file.id, file);
      this.sharedFolders.set(key, [id, ...added.map((file) => file.id)]);
      this.updateShare(key, { status: 'shared', hashedBytes: total, id });
      void this.register([...added, listing]);
      const entry: LedgerEntry = {
        id,
        name,
        size: total,
        mimeType: FOLDER_MIME_TYPE,
        lastModified: 0,
        manifestBytes: manifest,
        handle,
      };
      void this.deps.ledger.put(entry).catch(() => {});
    } catch (error) {
      this.updateShare(key, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async shareFile(file: File, handle: FileSystemFileHandle | null): Promise<void> {
    const key = this.addShareView(file.name, file.size, null);
    try {
      const start = performance.now();
      const { id, manifest } = await this.deps.hasher.hash(file, (hashedBytes) =>
        this.updateShare(key, { hashedBytes }),
      );
      performance.measure('shoal:hash', { start, detail: { name: file.name, bytes: file.size } });
      if (!this.state.getSnapshot().shares.some((share) => share.key === key)) return; // removed while hashing
      if (this.files.has(id)) {
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
      const entry: LedgerEntry = {
        id,
        name: file.name,
        size: file.size,
        mimeType: file.type,
        lastModified: file.lastModified,
        manifestBytes: manifest,
        handle,
      };
      void this.deps.ledger.put(entry).catch(() => {}); // without IndexedDB, it is simply not remembered
    } catch (error) {
      this.updateShare(key, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Lists a file under "My shared files" (hashing until `addShared` or a failure updates it); returns its key. */
  private addShareView(name: string, size: number, id: string | null, isFolder = false): string {
    const key = newKey();
    const view: ShareView = {
      key,
      name,
      size,
      status: 'hashing',
      hashedBytes: id ? size : 0,
      id,
      registered: false,
      error: null,
      canRegrant: false,
      isFolder,
    };
    this.state.update((s) => ({ ...s, shares: [...s.shares, view] }));
    return key;
  }

  private addShared(key: string, file: SharedFile): void {
    this.files.set(file.id, file);
    this.updateShare(key, { status: 'shared', hashedBytes: file.data.size, id: file.id });
    void this.register([file]);
  }

  /** Stops sharing (or forgets a failed entry). */
  unshare(key: string): void {
    const view = this.state.getSnapshot().shares.find((share) => share.key === key);
    if (!view) return;
    this.state.update((s) => ({ ...s, shares: s.shares.filter((share) => share.key !== key) }));
    if (view.id && (view.status === 'shared' || view.status === 'needs-access')) void this.deps.ledger.delete(view.id);
    this.awaitingAccess.delete(key);
    if (view.status !== 'shared' || !view.id) return;
    const ids = this.sharedFolders.get(key) ?? [view.id];
    this.sharedFolders.delete(key);
    for (const id of ids) {
      this.files.delete(id);
      this.registered.delete(id);
    }
    this.browsableVersion++;
    this.deps.onUnshared(ids);
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
      const result = await this.deps.tracker.request('files:register', { files: registrations });
      const ids = new Set(batch.map((file) => file.id));
      if (result.ok) {
        // Not one removed while the tracker was answering.
        for (const id of ids) if (this.files.has(id)) this.registered.add(id);
        this.browsableVersion++;
      }
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

  /**
   * Files shared from disk before the page loaded: shared again at once where the browser still grants access to
   * their handles, else listed as needing access (a click to re-grant it, or to pick the file again).
   */
  async restoreFromLedger(): Promise<void> {
    let entries: LedgerEntry[];
    try {
      entries = await this.deps.ledger.list();
    } catch {
      return; // No IndexedDB (a private window may refuse it): nothing was remembered.
    }
    for (const entry of entries) {
      if (this.files.has(entry.id)) continue;
      const granted = entry.handle !== null && (await entry.handle.queryPermission({ mode: 'read' })) === 'granted';
      if (granted && entry.handle?.kind === 'directory') {
        const folder = await readFolderHandle(entry.handle).catch(() => null);
        if (folder) {
          void this.deps.ledger.delete(entry.id); // shared again below, under the listing it has now
          this.shareFolder(folder.name, folder.files, folder.emptyFolders, entry.handle);
          continue;
        }
      }
      const file = granted && entry.handle?.kind === 'file' ? await entry.handle.getFile().catch(() => null) : null;
      if (file && sameFile(entry, file)) {
        this.addShared(this.addShareView(entry.name, entry.size, entry.id), this.sharedFromLedger(entry, file));
        continue;
      }
      const key = newKey();
      this.awaitingAccess.set(key, entry);
      const view: ShareView = {
        key,
        name: entry.name,
        size: entry.size,
        status: 'needs-access',
        hashedBytes: 0,
        id: entry.id,
        registered: false,
        error: null,
        canRegrant: entry.handle !== null,
        isFolder: entry.mimeType === FOLDER_MIME_TYPE,
      };
      this.state.update((s) => ({ ...s, shares: [...s.shares, view] }));
    }
  }

  private sharedFromLedger(entry: LedgerEntry, file: File): SharedFile {
    return {
      id: entry.id,
      name: entry.name,
      mimeType: entry.mimeType,
      data: file,
      manifestBytes: entry.manifestBytes,
      manifest: decodeManifest(entry.manifestBytes),
    };
  }

  /** Asks the browser for access to a remembered file again (needs a click: the browser may show a prompt). */
  async regrantAccess(key: string): Promise<void> {
    const entry = this.awaitingAccess.get(key);
    if (!entry?.handle) return;
    try {
      if ((await entry.handle.requestPermission({ mode: 'read' })) !== 'granted') {
        this.updateShare(key, { error: 'The browser did not grant access' });
        return;
      }
      if (entry.handle.kind === 'directory')
        this.folderPickedAgain(key, await readFolderHandle(entry.handle), entry.handle);
      else await this.giveBack(key, await entry.handle.getFile(), entry.handle);
    } catch (error) {
      this.updateShare(key, { error: `The file cannot be read any more: ${String(error)}` });
    }
  }

  /** The user picked again a folder that was waiting for access: it is shared as it is now (hashed anew). */
  folderPickedAgain(key: string, folder: LocalFolder, handle: FileSystemDirectoryHandle | null = null): void {
    const entry = this.awaitingAccess.get(key);
    if (!entry) return;
    this.awaitingAccess.delete(key);
    this.state.update((s) => ({ ...s, shares: s.shares.filter((share) => share.key !== key) }));
    void this.deps.ledger.delete(entry.id);
    this.shareFolder(
      folder.name,
      folder.files,
      folder.emptyFolders,
      handle ?? (entry.handle?.kind === 'directory' ? entry.handle : null),
    );
  }

  /** The user picked a file that was waiting for access again. */
  async pickedAgain(key: string, file: File): Promise<void> {
    if (this.awaitingAccess.has(key)) await this.giveBack(key, file, null);
  }

  private async giveBack(key: string, file: File, handle: FileSystemFileHandle | null): Promise<void> {
    const entry = this.awaitingAccess.get(key);
    if (!entry || entry.mimeType === FOLDER_MIME_TYPE) return;
    this.awaitingAccess.delete(key);
    this.state.update((s) => ({ ...s, shares: s.shares.filter((share) => share.key !== key) }));
    if (sameFile(entry, file) && !this.files.has(entry.id)) {
      this.addShared(this.addShareView(entry.name, entry.size, entry.id), this.sharedFromLedger(entry, file));
      if (handle && !entry.handle) void this.deps.ledger.put({ ...entry, handle });
    } else {
      // Another file, or this one changed since: it is hashed and shared as what it is now.
      void this.deps.ledger.delete(entry.id);
      void this.shareFile(file, handle);
    }
  }
}
