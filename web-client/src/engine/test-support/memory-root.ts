import type { DownloadFolder, DownloadRoot, SyncFile } from '../storage/disk/sync-file.ts';

/** A file in memory with the synchronous access handle's behaviour (one open handle at a time). */
class MemoryFile {
  bytes: Uint8Array = new Uint8Array(0);
  open = false;
}

class MemorySyncFile implements SyncFile {
  private closed = false;

  constructor(private readonly file: MemoryFile) {}

  read(into: Uint8Array, { at }: { at: number }): number {
    this.check();
    const chunk = this.file.bytes.subarray(at, at + into.length);
    into.set(chunk);
    return chunk.length;
  }

  write(bytes: Uint8Array, { at }: { at: number }): number {
    this.check();
    if (at + bytes.length > this.file.bytes.length) this.resize(at + bytes.length);
    this.file.bytes.set(bytes, at);
    return bytes.length;
  }

  getSize(): number {
    this.check();
    return this.file.bytes.length;
  }

  truncate(size: number): void {
    this.check();
    this.resize(size);
  }

  flush(): void {
    this.check();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.file.open = false;
  }

  private resize(size: number): void {
    const next = new Uint8Array(size);
    next.set(this.file.bytes.subarray(0, size));
    this.file.bytes = next;
  }

  private check(): void {
    if (this.closed) throw new Error('InvalidStateError: the access handle was closed');
  }
}

class MemoryFolder implements DownloadFolder {
  constructor(
    readonly name: string,
    readonly files: Map<string, MemoryFile>,
  ) {}

  async open(name: string): Promise<SyncFile> {
    let file = this.files.get(name);
    if (!file) this.files.set(name, (file = new MemoryFile()));
    if (file.open) throw new Error('NoModificationAllowedError: the file is open elsewhere');
    file.open = true;
    return new MemorySyncFile(file);
  }

  async snapshot(name: string): Promise<File> {
    const file = this.files.get(name);
    if (!file) throw new Error('NotFoundError');
    if (file.open) throw new Error('NoModificationAllowedError: the file is open');
    return new File([file.bytes.slice()], name);
  }

  async has(name: string): Promise<boolean> {
    return this.files.has(name);
  }
}

/**
 * Downloads kept in plain memory with the Origin Private File System's rules (one open handle per file, folders
 * created on demand): what unit tests run the storage code against, where there is no such file system.
 */
export class MemoryRoot implements DownloadRoot {
  readonly tree = new Map<string, Map<string, MemoryFile>>();

  async folders(): Promise<string[]> {
    return [...this.tree.keys()];
  }

  async folder(name: string, create: boolean): Promise<DownloadFolder> {
    let files = this.tree.get(name);
    if (!files) {
      if (!create) throw new Error('NotFoundError');
      this.tree.set(name, (files = new Map()));
    }
    return new MemoryFolder(name, files);
  }

  async remove(name: string): Promise<void> {
    this.tree.delete(name);
  }

  /** The bytes of a stored file, for tests to inspect or tamper with. */
  fileBytes(folder: string, file: string): Uint8Array | undefined {
    return this.tree.get(folder)?.get(file)?.bytes;
  }

  setFileBytes(folder: string, file: string, bytes: Uint8Array): void {
    const entry = this.tree.get(folder)?.get(file);
    if (!entry) throw new Error(`no file ${folder}/${file}`);
    entry.bytes = bytes;
  }
}
