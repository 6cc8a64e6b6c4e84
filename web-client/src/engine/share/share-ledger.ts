import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { FOLDER_MIME_TYPE, verifyManifest } from '@shoal/common';

/**
 * A file or folder shared from the user's disk, remembered so the page can offer to share it again after a reload. A
 * folder is remembered by its listing (`mimeType` is the folder type, `size` the files' total).
 */
export interface LedgerEntry {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  lastModified: number;
  manifestBytes: Uint8Array;
  /** Where the browser gives one (a dropped file or folder): the way back to it without picking it again. */
  handle: FileSystemFileHandle | FileSystemDirectoryHandle | null;
}

/** The files this page shared from disk, kept across reloads. */
export interface ShareLedger {
  list(): Promise<LedgerEntry[]>;
  put(entry: LedgerEntry): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Checks what was read back from browser storage, which the page does not control alone. */
async function validEntry(key: IDBValidKey, value: unknown): Promise<LedgerEntry | null> {
  if (typeof key !== 'string' || typeof value !== 'object' || value === null) return null;
  const entry = value as Partial<LedgerEntry>;
  const handle = entry.handle ?? null;
  if (
    entry.id !== key ||
    typeof entry.name !== 'string' ||
    typeof entry.mimeType !== 'string' ||
    typeof entry.lastModified !== 'number' ||
    !(entry.manifestBytes instanceof Uint8Array) ||
    !(handle === null || (typeof FileSystemHandle !== 'undefined' && handle instanceof FileSystemHandle))
  ) {
    return null;
  }
  try {
    const manifest = await verifyManifest(entry.manifestBytes, key);
    // A folder's size is its files' total; a file's is its manifest's.
    if (entry.mimeType !== FOLDER_MIME_TYPE && manifest.size !== entry.size) return null;
    if (typeof entry.size !== 'number' || entry.size < 0) return null;
  } catch {
    return null;
  }
  return { ...(entry as LedgerEntry), handle };
}

/** The ledger in IndexedDB (file handles can only be kept there). */
export class IdbShareLedger implements ShareLedger {
  private readonly store: UseStore = createStore('shoal-shares', 'files');

  async list(): Promise<LedgerEntry[]> {
    const found: LedgerEntry[] = [];
    for (const [key, value] of await entries(this.store)) {
      const entry = await validEntry(key, value);
      if (entry) found.push(entry);
      else await del(key, this.store);
    }
    return found;
  }

  put(entry: LedgerEntry): Promise<void> {
    return set(entry.id, entry, this.store);
  }

  delete(id: string): Promise<void> {
    return del(id, this.store);
  }
}

/** A ledger that forgets with the page: where IndexedDB is unavailable, and in tests. */
export class MemoryShareLedger implements ShareLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  async list(): Promise<LedgerEntry[]> {
    return [...this.entries.values()];
  }
  async put(entry: LedgerEntry): Promise<void> {
    this.entries.set(entry.id, entry);
  }
  async delete(id: string): Promise<void> {
    this.entries.delete(id);
  }
}

/** Whether a file the user gave again is the one shared before (so its manifest stands without hashing again). */
export function sameFile(entry: LedgerEntry, file: File): boolean {
  return file.size === entry.size && file.lastModified === entry.lastModified && file.name === entry.name;
}
