/**
 * The file operations a download's storage needs: the shape of the Origin Private File System's
 * `FileSystemSyncAccessHandle` (positional, synchronous, usable in a worker only), so the bookkeeping above it can be
 * tested against plain memory.
 */
export interface SyncFile {
  /** Reads into `into` from byte `at`; returns how many bytes were read (fewer past the end). */
  read(into: Uint8Array, options: { at: number }): number;
  /** Writes `bytes` at byte `at`, growing the file if needed; returns how many bytes were written. */
  write(bytes: Uint8Array, options: { at: number }): number;
  getSize(): number;
  truncate(size: number): void;
  /** Makes the writes so far durable. */
  flush(): void;
  close(): void;
}

/** One download's folder: named files opened for synchronous access, and the folder's removal. */
export interface DownloadFolder {
  readonly name: string;
  open(file: string): Promise<SyncFile>;
  /** The file's bytes as a File the browser can read from disk (only once it is closed). */
  snapshot(file: string): Promise<File>;
  has(file: string): Promise<boolean>;
}

/** Where downloads live: one folder per download, named by file id. */
export interface DownloadRoot {
  folders(): Promise<string[]>;
  folder(name: string, create: boolean): Promise<DownloadFolder>;
  remove(name: string): Promise<void>;
}

/** The whole content of a small file. */
export function readWhole(file: SyncFile): Uint8Array {
  const bytes = new Uint8Array(file.getSize());
  const read = file.read(bytes, { at: 0 });
  return read === bytes.length ? bytes : bytes.subarray(0, read);
}

/** Replaces the whole content of a small file. */
export function writeWhole(file: SyncFile, bytes: Uint8Array): void {
  file.truncate(0);
  file.write(bytes, { at: 0 });
  file.flush();
}
