import { decodeFolderListing, folderSize, type FolderFile, type FolderListing } from '@shoal/common';
import type { Download } from './download.ts';
import type { DownloadSnapshot, DownloadStatus, SourceContribution } from './download-types.ts';
import { mergeQueues } from './queue-summary.ts';
import { subfolderListing } from './subfolder-listing.ts';

export interface FolderDownloadDeps {
  /**
   * Starts downloading one of the folder's files (or adopts a download of it already under way); null when the page
   * already holds the file, complete.
   */
  startMember(file: FolderFile): Download | null;
  /** The complete file with this content id, if the page holds it. */
  held(fileId: string): Blob | null;
  /** The folder's total size is known: refuse it (with why) when it will not fit. */
  checkRoom(bytes: number): Promise<string | null>;
  onChange(): void;
  /** Every file of the folder is here. */
  onComplete(): void;
}

/** A file of the folder as it will be saved. */
export interface FolderPart {
  path: string;
  file: Blob;
}

/**
 * A shared folder being downloaded: first its listing (a file like any other, verified against its content id),
 * then every file the listing names, each an ordinary download (so pieces, swarms, storage and resume work the same).
 * It adds up their progress for one row, and says when the whole folder is here. Given a `prefix` (a folder inside
 * the shared one), it downloads and saves just that folder.
 */
export class FolderDownload {
  private listing: FolderListing | null = null;
  private readonly members = new Map<string, Download>();
  private failure: string | null = null;
  private done = false;
  private cancelled = false;

  constructor(
    readonly key: string,
    readonly name: string,
    readonly listingId: string,
    /** The listing's download; null when the page held the listing already (a folder resumed after a reload). */
    readonly listingDownload: Download | null,
    /** The folder inside the shared one to download ('' for all of it), as the listing writes its paths. */
    readonly prefix: string,
    private readonly deps: FolderDownloadDeps,
  ) {}

  /** Content ids of the folder's files, once the listing is known. */
  get memberIds(): string[] {
    return this.listing ? [...new Set(this.listing.files.map((file) => file.id))] : [];
  }

  /** The listing arrived (verified): read it and start on the files. */
  async listingArrived(bytes: Blob): Promise<void> {
    let listing: FolderListing;
    try {
      listing = decodeFolderListing(new Uint8Array(await bytes.arrayBuffer()));
    } catch (error) {
      this.fail(`The folder's listing is not usable: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.listing = subfolderListing(listing, this.prefix);
    if (!this.listing) {
      this.fail(`The shared folder has no folder ${this.prefix} (any more)`);
      return;
    }
    const refusal = await this.deps.checkRoom(folderSize(this.listing) - this.heldBytes());
    if (refusal) {
      this.fail(refusal);
      return;
    }
    for (const file of this.listing.files) {
      if (this.members.has(file.id) || this.deps.held(file.id)) continue;
      const download = this.deps.startMember(file);
      if (download) this.members.set(file.id, download);
    }
    this.memberChanged();
  }

  /** Goes on with a folder whose listing was stored before a reload, adopting its files' resumed downloads. */
  adopt(listing: FolderListing, resumed: ReadonlyMap<string, Download>): void {
    this.listing = subfolderListing(listing, this.prefix);
    if (!this.listing) {
      this.fail(`The shared folder has no folder ${this.prefix} (any more)`);
      return;
    }
    for (const file of this.listing.files) {
      if (this.members.has(file.id) || this.deps.held(file.id)) continue;
      const download = resumed.get(file.id) ?? this.deps.startMember(file);
      if (download) this.members.set(file.id, download);
    }
    this.memberChanged();
  }

  /** One of the files finished (or anything else changed). */
  memberChanged(): void {
    if (this.done || !this.listing || this.failure) return;
    const failed = [...this.members.values()].find((member) => member.snapshot().status === 'failed');
    if (failed) {
      this.fail(`A file of the folder failed: ${failed.snapshot().message}`);
      return;
    }
    if (this.listing.files.every((file) => this.deps.held(file.id) || this.members.get(file.id)?.file)) {
      this.done = true;
      this.deps.onComplete();
    }
    this.deps.onChange();
  }

  /** The folder's own name, its files with their paths, and its empty folders: what saving it writes. */
  parts(): { name: string; files: FolderPart[]; emptyFolders: string[] } | null {
    if (!this.listing || !this.done) return null;
    const files: FolderPart[] = [];
    for (const { path, id } of this.listing.files) {
      const file = this.deps.held(id) ?? this.members.get(id)?.file;
      if (!file) return null;
      files.push({ path, file });
    }
    return { name: this.listing.name, files, emptyFolders: this.listing.emptyFolders };
  }

  get finished(): boolean {
    return this.done || this.failure !== null || this.cancelled;
  }

  pause(): void {
    this.listingDownload?.pause();
    for (const member of this.members.values()) member.pause();
  }

  resume(): void {
    this.listingDownload?.resume();
    for (const member of this.members.values()) member.resume();
  }

  /**
   * Stops every download of the folder (freeing their storage); the listing's too unless `keepListing` (another
   * part of the same folder still waits for it).
   */
  cancel(keepListing = false): void {
    if (this.finished) return;
    this.cancelled = true;
    if (!keepListing) this.listingDownload?.cancel();
    for (const member of this.members.values()) member.cancel();
    this.deps.onChange();
  }

  snapshot(): DownloadSnapshot {
    if (!this.listing) {
      const listing = this.listingDownload?.snapshot();
      const status = this.failure ? 'failed' : this.cancelled ? 'cancelled' : (listing?.status ?? 'connecting');
      const message = this.failure ?? listing?.message ?? '';
      return {
        status,
        totalBytes: 0,
        verifiedBytes: 0,
        bytesPerSecond: 0,
        secondsLeft: null,
        peers: listing?.peers ?? 0,
        sources: [],
        queue: listing?.queue ?? [],
        message: status === 'downloading' ? 'Fetching the folder listing' : message,
      };
    }
    const members = [...this.members.values()].map((member) => member.snapshot());
    const totalBytes = folderSize(this.listing);
    const verifiedBytes = Math.min(totalBytes, this.heldBytes() + members.reduce((sum, m) => sum + m.verifiedBytes, 0));
    const bytesPerSecond = members.reduce((sum, m) => sum + m.bytesPerSecond, 0);
    const sources = new Map<string, SourceContribution>();
    for (const source of members.flatMap((m) => m.sources)) {
      const known = sources.get(source.peerId);
      sources.set(source.peerId, {
        peerId: source.peerId,
        bytes: (known?.bytes ?? 0) + source.bytes,
        connected: (known?.connected ?? false) || source.connected,
      });
    }
    const status = this.status(members.map((m) => m.status));
    const waiting = members.find((m) => m.status === 'waiting' || m.status === 'queued');
    return {
      status,
      totalBytes,
      verifiedBytes,
      bytesPerSecond,
      secondsLeft: bytesPerSecond > 0 ? (totalBytes - verifiedBytes) / bytesPerSecond : null,
      peers: Math.max(0, ...members.map((m) => m.peers)),
      sources: [...sources.values()].sort((a, b) => b.bytes - a.bytes),
      queue: mergeQueues(members.map((m) => m.queue)),
      message: this.failure ?? waiting?.message ?? (status === 'complete' ? 'Complete' : 'Downloading'),
    };
  }

  private status(members: DownloadStatus[]): DownloadStatus {
    if (this.failure) return 'failed';
    if (this.done) return 'complete';
    if (this.cancelled) return 'cancelled';
    for (const status of ['downloading', 'connecting', 'queued', 'waiting', 'paused', 'saving'] as const) {
      if (members.includes(status)) return status;
    }
    return 'downloading';
  }

  /** Bytes of the folder's files the page held already when they were needed. */
  private heldBytes(): number {
    if (!this.listing) return 0;
    let bytes = 0;
    for (const file of this.listing.files) {
      if (!this.members.has(file.id) && this.deps.held(file.id)) bytes += file.size;
    }
    return bytes;
  }

  private fail(message: string): void {
    this.failure = message;
    for (const member of this.members.values()) member.cancel();
    this.deps.onChange();
  }
}
