import {
  MAX_BROWSE_ENTRIES,
  MAX_FILE_NAME_LENGTH,
  sanitizeFileName,
  sanitizePathSegment,
  type BrowseEntry,
  type BrowseFileEntry,
  type BrowseQuery,
  type BrowseReply,
  type FolderListing,
} from '@shoal/common';

/** A file this page shares on its own, as the tracker lists it. */
export interface BrowsableFile {
  id: string;
  name: string;
  size: number;
}

/** A folder this page shares: its listing (decoded) and the listing file's id and byte size. */
export interface BrowsableFolder {
  listingId: string;
  listingSize: number;
  listing: FolderListing;
}

/** One folder level: its subfolders by name, its files, and the totals of everything under it. */
interface FolderNode {
  readonly folders: Map<string, FolderNode>;
  readonly files: BrowseFileEntry[];
  size: number;
  count: number;
  /** Its entries in the order pages list them; sorted on the first request for this folder, then kept. */
  sorted: BrowseEntry[] | null;
}

const newNode = (): FolderNode => ({ folders: new Map(), files: [], size: 0, count: 0, sorted: null });

/** The subfolder `name` of `node`, made if it is not there yet. */
function childOf(node: FolderNode, name: string): FolderNode {
  let child = node.folders.get(name);
  if (!child) node.folders.set(name, (child = newNode()));
  return child;
}

/** Natural order ("file 2" before "file 10"), case and accents aside; code point order breaks ties, so it is total. */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byName = (a: { name: string }, b: { name: string }): number =>
  collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** A shared folder's name as one safe folder name (a listing downloaded from someone else may carry any name). */
function folderName(name: string): string {
  return sanitizePathSegment(name.replace(/[/\\]/g, '_')) ?? 'folder';
}

/**
 * What this page shares, arranged for browsing: the top level (each shared folder, then the files shared on their
 * own) and every folder of every shared folder, built once from the listings, so a page of any folder costs a map
 * walk down its path and a slice, however many files the share holds. Entries are made to satisfy the protocol's
 * browse schemas, since the tracker refuses a whole page for one bad entry.
 */
export class BrowseIndex {
  private readonly top: BrowseEntry[];
  private readonly roots = new Map<string, FolderNode>();

  private constructor(files: readonly BrowsableFile[], folders: readonly BrowsableFolder[]) {
    const top: BrowseEntry[] = [];
    for (const { listingId, listingSize, listing } of folders) {
      if (this.roots.has(listingId)) continue;
      const root = BrowseIndex.tree(listing);
      this.roots.set(listingId, root);
      top.push({
        kind: 'folder',
        name: folderName(listing.name),
        size: root.size,
        count: root.count,
        listing: { id: listingId, size: listingSize },
      });
    }
    const loose = files.map(({ id, name, size }): BrowseEntry => ({
      kind: 'file',
      name: sanitizeFileName(name, MAX_FILE_NAME_LENGTH),
      size,
      fileId: id,
    }));
    this.top = [...top.sort(byName), ...loose.sort(byName)].slice(0, MAX_BROWSE_ENTRIES);
  }

  /** Builds the index of what a page shares. */
  static build(files: readonly BrowsableFile[], folders: readonly BrowsableFolder[]): BrowseIndex {
    return new BrowseIndex(files, folders);
  }

  /** A listing as a tree of folder levels with their totals. Its paths are canonical (the listing was decoded). */
  private static tree(listing: FolderListing): FolderNode {
    const root = newNode();
    for (const { path, id, size } of listing.files) {
      const parts = path.split('/');
      const name = parts.pop() as string;
      let node = root;
      node.size += size;
      node.count += 1;
      for (const part of parts) {
        node = childOf(node, part);
        node.size += size;
        node.count += 1;
      }
      node.files.push({ kind: 'file', name, size, fileId: id });
    }
    for (const path of listing.emptyFolders) {
      let node = root;
      for (const part of path.split('/')) node = childOf(node, part);
    }
    return root;
  }

  /** A page of the folder level the query names, or `NOT_FOUND` when this page shares no such folder. */
  page({ folder, offset, limit }: BrowseQuery): BrowseReply {
    const entries = folder ? this.entriesOf(folder.listingId, folder.path) : this.top;
    if (!entries) return { ok: false, error: { code: 'NOT_FOUND', message: 'no such folder is shared here' } };
    return { ok: true, data: { entries: entries.slice(offset, offset + limit), total: entries.length } };
  }

  private entriesOf(listingId: string, path: string): BrowseEntry[] | null {
    let node = this.roots.get(listingId);
    if (path !== '') for (const part of path.split('/')) node = node?.folders.get(part);
    if (!node) return null;
    node.sorted ??= BrowseIndex.sortedEntries(node);
    return node.sorted;
  }

  private static sortedEntries(node: FolderNode): BrowseEntry[] {
    const folders: BrowseEntry[] = [...node.folders].map(([name, child]) => ({
      kind: 'folder',
      name,
      size: child.size,
      count: child.count,
    }));
    return [...folders.sort(byName), ...[...node.files].sort(byName)].slice(0, MAX_BROWSE_ENTRIES);
  }
}
