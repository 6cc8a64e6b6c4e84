import {
  FOLDER_MIME_TYPE,
  browseQuerySchema,
  decodeFolderListing,
  type BrowseReply,
  type FolderListing,
} from '@shoal/common';
import type { SharedFile } from '../share/shared-file.ts';
import { BrowseIndex, type BrowsableFile, type BrowsableFolder } from './browse-index.ts';

/** What the catalog lists: the shared files the tracker lists for this page, and a version that changes with them. */
export interface CatalogSource {
  browsable(): { version: number; files: readonly SharedFile[] };
}

/**
 * Answers other peers browsing this page, from what it shares and nothing else: files the tracker lists for it (so
 * never one still hashing, removed, or refused by the tracker) and, for each shared folder, the paths its listing
 * names that the page holds. A file that belongs to a shared folder shows inside that folder, not again at the top
 * level. The index is rebuilt only when what is shared changed, not per request.
 */
export class SharedCatalog {
  private built: { version: number; index: Promise<BrowseIndex> } | null = null;
  /** Decoded listings by content id (a listing never changes under its id); null for one that does not decode. */
  private readonly listings = new Map<string, FolderListing | null>();

  constructor(private readonly source: CatalogSource) {}

  /** The answer to a `browse:request` from the tracker (checked here too: it is input like any other). */
  async answer(query: unknown): Promise<BrowseReply> {
    const parsed = browseQuerySchema.safeParse(query);
    if (!parsed.success)
      return { ok: false, error: { code: 'NOT_FOUND', message: 'not a request this page understands' } };
    const built = this.current();
    try {
      return (await built.index).page(parsed.data);
    } catch (error) {
      if (this.built === built) this.built = null; // built anew on the next request
      throw error;
    }
  }

  private current(): { version: number; index: Promise<BrowseIndex> } {
    const { version, files } = this.source.browsable();
    if (this.built?.version !== version) this.built = { version, index: this.build(files) };
    return this.built;
  }

  private async build(files: readonly SharedFile[]): Promise<BrowseIndex> {
    const folders: BrowsableFolder[] = [];
    const loose: SharedFile[] = [];
    const shared = new Set(files.map((file) => file.id));
    for (const file of files) {
      const listing = file.mimeType === FOLDER_MIME_TYPE ? await this.listingOf(file) : null;
      if (!listing) {
        loose.push(file);
        continue;
      }
      // Only the files this page holds: a folder still downloading here lists what has arrived.
      const held = { ...listing, files: listing.files.filter((member) => shared.has(member.id)) };
      folders.push({ listingId: file.id, listingSize: file.manifest.size, listing: held });
    }
    for (const id of this.listings.keys()) if (!shared.has(id)) this.listings.delete(id);
    const inFolders = new Set(folders.flatMap(({ listing }) => listing.files.map((member) => member.id)));
    const looseFiles: BrowsableFile[] = loose
      .filter((file) => !inFolders.has(file.id))
      .map((file) => ({ id: file.id, name: file.name, size: file.manifest.size }));
    return BrowseIndex.build(looseFiles, folders);
  }

  private async listingOf(file: SharedFile): Promise<FolderListing | null> {
    const known = this.listings.get(file.id);
    if (known !== undefined) return known;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.data.arrayBuffer());
    } catch {
      return null; // unreadable right now: not remembered, so read again next time
    }
    let listing: FolderListing | null = null;
    try {
      listing = decodeFolderListing(bytes);
    } catch {
      // Not a listing after all: it is listed as the file it is.
    }
    this.listings.set(file.id, listing);
    return listing;
  }
}
