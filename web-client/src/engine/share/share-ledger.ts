import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { verifyManifest } from '@shoal/common';

/** A file shared from the user's disk, remembered so the page can offer to share it again after a reload. */
export interface LedgerEntry {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  lastModified: number;
  manifestBytes: Uint8Array;
  /** Where the browser gives one (a dropped file): the way back to the file without picking it again. */
  handle: FileSystemFileHandle | null;
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
    !(handle === null || (typeof FileSystemFileHandle !== 'undefined' && handle instanceof FileSystemFileHandle))
  ) {
    return null;
  }
  try {
    const manifest = await verifyManifest(entry.manifestBytes, key);
    if (manifest.size !== entry.size) return null;
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
