import { ANNOUNCE_INTERVAL_MS, MAX_FILES_PER_UNREGISTER, type SearchResult, type SearchSort } from '@shoal/common';
import { PeerBrowser } from './browse/peer-browser.ts';
import { SharedCatalog } from './browse/shared-catalog.ts';
import { SourceLists } from './browse/source-lists.ts';
import { initialEngineState, type EngineState } from './engine-state.ts';
import { Hasher } from './hashing/hasher.ts';
import { browserLocalSettings, type LocalSettings } from './local-settings.ts';
import { DisplayNameKeeper } from './names/display-name-keeper.ts';
import { SignalRouter } from './peer/signal-router.ts';
import type { FolderToSave } from './save-folder.ts';
import { Search } from './search.ts';
import type { LocalFolder } from './share/local-folder.ts';
import { completeSource, type PieceSource } from './share/piece-source.ts';
import { readAheadLimit } from './share/read-ahead.ts';
import { IdbShareLedger, MemoryShareLedger, type ShareLedger } from './share/share-ledger.ts';
import { Sharing } from './share/sharing.ts';
import { UploadLimits } from './share/upload-limits.ts';
import { UploadSession } from './share/upload-session.ts';
import type { UploadSettings } from './share/upload-settings.ts';
import { UploadStats } from './share/upload-stats.ts';
import { WorkerDownloadStorage, type DownloadStorage } from './storage/download-storage.ts';
import { createStore, type Store } from './store.ts';
import { TrackerClient } from './tracker-client.ts';
import { FolderDownloadsMemory } from './transfer/folder-downloads-memory.ts';
import { Transfers } from './transfer/transfers.ts';
import { LinkFollower } from './watch/link-follower.ts';
import { notifyInBrowser } from './watch/notify.ts';
import type { KeyValueStore } from './watch/watch-storage.ts';
import { WatchedSearches } from './watch/watched-searches.ts';

export interface EngineOptions {
  /** Base URL of the tracker (the page's own origin when served by it). */
  trackerUrl: string;
  /** Hands a finished download to the user. */
  save: (file: Blob, name: string) => void;
  /** Where downloads are kept (default: the piece worker, on disk when the browser allows). */
  storage?: Promise<DownloadStorage>;
  /** Where the files shared from disk are remembered across reloads (default: IndexedDB). */
  ledger?: ShareLedger;
  /** Peers one download connects to at once (default 5). */
  maxPeersPerDownload?: number;
  /** Upload speed cap in bytes per second for this page load, over the user's setting (which is kept otherwise). */
  uploadBytesPerSecond?: number;
  /** Test-only: corrupt every piece this page uploads, to exercise the downloaders' defences. */
  corruptUploads?: boolean;
  /** Where small settings (the display name, folder downloads under way, upload settings) are kept between visits
   * (default: localStorage, where the browser allows it). */
  localSettings?: LocalSettings | null;
  /** Where watched searches are kept across reloads (default: `localStorage` where there is one). */
  watchStore?: KeyValueStore | null;
}

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
  private readonly sharing: Sharing;
  private readonly transfers: Transfers;
  private readonly uploads = new Map<string, Set<UploadSession>>();
  private readonly searches: Search;
  private readonly announceTimer: ReturnType<typeof setInterval>;
  private readonly uploadLimits: UploadLimits;
  private readonly uploadStats = new UploadStats();
  /** This page's display name. */
  readonly displayName: DisplayNameKeeper;
  /** Browsing other peers' shares. */
  readonly browser: PeerBrowser;
  /** The holders, by name, of search results whose sources are opened. */
  readonly sources: SourceLists;
  private readonly catalog: SharedCatalog;
  /** Watched searches (see WatchedSearches); the UI calls its methods. */
  readonly watched: WatchedSearches;
  /** The share link the page was opened with (see LinkFollower). */
  readonly links: LinkFollower;

  constructor(private readonly options: EngineOptions) {
    this.tracker = new TrackerClient(options.trackerUrl, {
      // `this.tracker` is still unset when the client reports its first status from inside its constructor.
      status: (status, detail, url) =>
        this.state.update((s) => ({ ...s, tracker: { status, detail, peerId: this.tracker?.peerId ?? null, url } })),
      welcome: () => this.onWelcome(),
      signal: (signal) => this.router.receive(signal),
      signalFailed: (failure) => this.router.failed(failure),
      browse: (query) => this.catalog.answer(query),
      watchMatch: (match) => {
        this.watched.onMatch(match);
        this.links.onMatch(match);
      },
    });
    this.searches = new Search(this.state, this.tracker);
    const localSettings = options.localSettings === undefined ? browserLocalSettings() : options.localSettings;
    this.displayName = new DisplayNameKeeper({ tracker: this.tracker, storage: localSettings });
    this.uploadLimits = new UploadLimits({
      storage: localSettings,
      capOverride: options.uploadBytesPerSecond,
      onChange: (uploads) => this.state.update((s) => ({ ...s, uploads })),
    });
    this.uploadLimits.publish();
    this.sources = new SourceLists(this.tracker);
    this.router = new SignalRouter({
      iceServers: () => this.tracker.iceServers,
      relay: (to, fileId, connectionId, signal) => this.tracker.relaySignal({ to, fileId, connectionId, signal }),
      accepts: (fileId) => this.sourceOf(fileId) !== null,
      incoming: (link) => {
        const source = this.sourceOf(link.fileId);
        if (!source) return link.close('not shared');
        const sessions = this.uploads.get(source.id) ?? new Set();
        this.uploads.set(source.id, sessions);
        const session: UploadSession = new UploadSession(link, source, () => sessions.delete(session), {
          corrupt: options.corruptUploads,
          throttle: this.uploadLimits.throttle,
          slots: this.uploadLimits.slots,
          stats: this.uploadStats,
        });
        sessions.add(session);
      },
    });
    this.sharing = new Sharing({
      state: this.state,
      hasher: this.hasher,
      ledger: options.ledger ?? (typeof indexedDB === 'undefined' ? new MemoryShareLedger() : new IdbShareLedger()),
      tracker: this.tracker,
      onUnshared: (ids) => this.onUnshared(ids),
    });
    const storage = options.storage ?? WorkerDownloadStorage.open();
    this.transfers = new Transfers({
      state: this.state,
      storage,
      sharing: this.sharing,
      tracker: this.tracker,
      connect: (peerId, fileId) => this.router.connect(peerId, fileId),
      save: options.save,
      maxPeersPerDownload: options.maxPeersPerDownload,
      stopUploads: (fileId) => this.stopUploads(fileId),
      reportProblem: (message) => this.reportProblem(message),
      folderDownloads: new FolderDownloadsMemory(localSettings),
    });
    this.catalog = new SharedCatalog(this.sharing);
    this.browser = new PeerBrowser({
      tracker: this.tracker,
      downloadFile: (entry) =>
        void this.transfers.download({
          id: entry.fileId,
          name: entry.name,
          names: [entry.name],
          nameCount: 1,
          size: entry.size,
          mimeType: '',
          holders: 0,
          partialHolders: 0,
          availability: 0,
        }),
      downloadFolder: (shared, path) => void this.transfers.downloadFolder({ ...shared, path }),
    });
    this.watched = new WatchedSearches({
      state: this.state,
      tracker: this.tracker,
      store: options.watchStore !== undefined ? options.watchStore : (globalThis.localStorage ?? null),
      notify: notifyInBrowser,
      download: (file) => void this.download(file),
      holds: (fileId) => this.sharing.files.has(fileId),
    });
    this.links = new LinkFollower({
      state: this.state,
      tracker: this.tracker,
      download: (file) => void this.download(file),
    });
    this.announceTimer = setInterval(() => void this.transfers.announcePieces(), ANNOUNCE_INTERVAL_MS);
    void storage.then(
      (opened) => this.transfers.restore(opened).then(() => this.sharing.restoreFromLedger()),
      (error: unknown) =>
        this.transfers.updateStorage({ status: 'failed', note: `Browser storage failed: ${String(error)}` }),
    );
  }

  /** What this page can serve of a file: all of a shared one, or the verified pieces of a download in progress. */
  private sourceOf(fileId: string): PieceSource | null {
    const file = this.sharing.files.get(fileId);
    if (!file) return this.transfers.partialSource(fileId);
    // The downloaders served at the time of each read share the page's read-ahead budget.
    return completeSource(file, () => readAheadLimit(this.uploadLimits.slots.snapshot().served));
  }

  private onWelcome(): void {
    this.state.update((s) => ({ ...s, tracker: { ...s.tracker, peerId: this.tracker.peerId } }));
    // The name first: peers finding this page's files see it with them.
    this.displayName.announce();
    this.sharing.registerAll();
    this.transfers.trackerOnline();
    this.watched.trackerOnline();
    this.links.trackerOnline();
    this.searches.repeat();
  }

  // ---- sharing (see Sharing) ----

  /** Hashes and shares files the user dropped or picked, with the handles the browser gave for dropped ones. */
  shareFiles(files: Iterable<File>, handles?: ReadonlyMap<File, FileSystemFileHandle>): void {
    this.sharing.shareFiles(files, handles);
  }

  /** Shares a folder: its files, with their paths, and its listing. */
  shareFolder(
    name: string,
    files: readonly { file: File; path: string }[],
    emptyFolders: readonly string[] = [],
    handle: FileSystemDirectoryHandle | null = null,
  ): void {
    this.sharing.shareFolder(name, files, emptyFolders, handle);
  }

  /** Stops sharing (or forgets a failed entry). */
  unshare(key: string): void {
    this.sharing.unshare(key);
  }

  regrantAccess(key: string): Promise<void> {
    return this.sharing.regrantAccess(key);
  }

  pickedAgain(key: string, file: File): Promise<void> {
    return this.sharing.pickedAgain(key, file);
  }

  folderPickedAgain(key: string, folder: LocalFolder): void {
    this.sharing.folderPickedAgain(key, folder);
  }

  /** Files no longer shared: their uploads end, and finished downloads among them leave browser storage. */
  private onUnshared(ids: string[]): void {
    for (const id of ids) {
      this.transfers.unshared(id);
      this.stopUploads(id);
    }
    for (let at = 0; at < ids.length; at += MAX_FILES_PER_UNREGISTER) {
      void this.tracker.request('files:unregister', { fileIds: ids.slice(at, at + MAX_FILES_PER_UNREGISTER) });
    }
  }

  private stopUploads(fileId: string): void {
    for (const session of this.uploads.get(fileId) ?? []) session.stop();
    this.uploads.delete(fileId);
  }

  // ---- search ----

  /** Searches the registry (see Search): only the latest query's answers are kept. */
  search(query: string, sort: SearchSort = 'relevance'): void {
    this.searches.search(query, sort);
  }

  /** Appends the next page of results of the current search. */
  moreResults(): void {
    this.searches.more();
  }

  // ---- downloading (see Transfers) ----

  /** Starts downloading a search result (a file or a folder), once storage says it has room. */
  download(result: SearchResult): Promise<void> {
    return this.transfers.download(result);
  }

  /** Saves a finished download again. */
  saveTransfer(key: string): void {
    this.transfers.saveTransfer(key);
  }

  /** A finished download's file and name, to save where the user picks. */
  finishedFile(key: string): { file: Blob; name: string } | null {
    return this.transfers.finishedFile(key);
  }

  /** A finished folder download's name, files and empty folders, to write where the user picks. */
  finishedFolder(key: string): FolderToSave | null {
    return this.transfers.finishedFolder(key);
  }

  pauseTransfer(key: string): void {
    this.transfers.pauseTransfer(key);
  }

  resumeTransfer(key: string): void {
    this.transfers.resumeTransfer(key);
  }

  /** Stops a download (all of a folder's) and frees its storage. */
  cancelTransfer(key: string): void {
    this.transfers.cancelTransfer(key);
  }

  /** Removes a finished transfer from the list. */
  dismissTransfer(key: string): void {
    this.transfers.dismissTransfer(key);
  }

  /** Shows (or, with null, clears) a problem that belongs to no one row. */
  reportProblem(message: string | null): void {
    this.state.update((s) => ({ ...s, problem: message }));
  }

  /** Changes the upload slots and speed cap, live; kept for the next visit. Throws a RangeError out of bounds. */
  setUploadSettings(settings: UploadSettings): void {
    this.uploadLimits.set(settings);
  }

  /** Transfer statistics: pieces sent per file, and the pieces each download found in storage when it resumed. */
  transferStats(): { sentPieces: Record<string, Record<number, number>>; restoredPieces: Record<string, number[]> } {
    return { sentPieces: this.uploadStats.snapshot(), restoredPieces: this.transfers.restoredPieces() };
  }

  destroy(): void {
    clearInterval(this.announceTimer);
    this.uploadLimits.close();
    // Downloads stay in storage: the next load of the page goes on with them.
    this.transfers.closeAll();
    this.hasher.close();
    this.tracker.close();
  }
}
