/// <reference lib="webworker" />
import type { DownloadFolder, DownloadRoot, SyncFile } from './sync-file.ts';

/** The folder of the Origin Private File System that holds downloads. */
const ROOT_FOLDER = 'shoal-downloads';
/** Tries at opening a file another worker still holds, and the pause between them. */
const OPEN_ATTEMPTS = 30;
const OPEN_RETRY_MS = 100;

/** Whether this worker can keep downloads in the Origin Private File System. */
export function opfsAvailable(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.storage?.getDirectory === 'function' &&
    typeof FileSystemFileHandle !== 'undefined' &&
    'createSyncAccessHandle' in FileSystemFileHandle.prototype
  );
}

class OpfsFolder implements DownloadFolder {
  constructor(
    readonly name: string,
    private readonly handle: FileSystemDirectoryHandle,
  ) {}

  async open(file: string): Promise<SyncFile> {
    const fileHandle = await this.handle.getFileHandle(file, { create: true });
    // Right after a reload, the replaced page's worker may still hold the file open for a moment.
    for (let attempt = 1; ; attempt++) {
      try {
        return await fileHandle.createSyncAccessHandle();
      } catch (error) {
        const busy = error instanceof DOMException && error.name === 'NoModificationAllowedError';
        if (!busy || attempt >= OPEN_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, OPEN_RETRY_MS));
      }
    }
  }

  async snapshot(file: string): Promise<File> {
    return (await this.handle.getFileHandle(file)).getFile();
  }

  async has(file: string): Promise<boolean> {
    try {
      await this.handle.getFileHandle(file);
      return true;
    } catch {
      return false;
    }
  }
}

/** Downloads in the Origin Private File System, opened for synchronous access (workers only). */
export class OpfsRoot implements DownloadRoot {
  private constructor(private readonly handle: FileSystemDirectoryHandle) {}

  static async open(): Promise<OpfsRoot> {
    const origin = await navigator.storage.getDirectory();
    return new OpfsRoot(await origin.getDirectoryHandle(ROOT_FOLDER, { create: true }));
  }

  async folders(): Promise<string[]> {
    const names: string[] = [];
    for await (const [name, entry] of this.handle.entries()) if (entry.kind === 'directory') names.push(name);
    return names;
  }

  async folder(name: string, create: boolean): Promise<DownloadFolder> {
    return new OpfsFolder(name, await this.handle.getDirectoryHandle(name, { create }));
  }

  async remove(name: string): Promise<void> {
    try {
      await this.handle.removeEntry(name, { recursive: true });
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
    }
  }
}
