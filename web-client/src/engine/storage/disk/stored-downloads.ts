import { DATA_FILE, DiskDownload, type StoredDownloadState } from './disk-download.ts';
import type { DownloadInfo } from '../download-record.ts';
import type { DownloadRoot } from './sync-file.ts';

/** A file id is a SHA-256 in hex: anything else in the downloads folder is not ours. */
const FILE_ID = /^[0-9a-f]{64}$/;

/** Every download kept in one {@link DownloadRoot}: listing them after a reload, starting, resuming, removing. */
export class StoredDownloads {
  constructor(private readonly root: DownloadRoot) {}

  /**
   * The downloads storage holds, finished or not. Folders that are not a usable download (an interrupted start, a
   * damaged or foreign entry) are removed, so they do not hold space forever.
   */
  async load(): Promise<StoredDownloadState[]> {
    const found: StoredDownloadState[] = [];
    for (const name of await this.root.folders()) {
      let state: StoredDownloadState | null;
      try {
        state = FILE_ID.test(name) ? await DiskDownload.inspect(await this.root.folder(name, false)) : null;
      } catch {
        continue; // cannot be read right now (held open elsewhere): left as it is, for a later load
      }
      if (state) found.push(state);
      else await this.root.remove(name);
    }
    return found;
  }

  async create(
    fileId: string,
    manifestBytes: Uint8Array,
    info: Omit<DownloadInfo, 'version' | 'complete'>,
  ): Promise<DiskDownload> {
    if (!FILE_ID.test(fileId)) throw new Error('not a file id');
    await this.root.remove(fileId); // whatever an earlier, abandoned attempt left
    try {
      return await DiskDownload.create(await this.root.folder(fileId, true), manifestBytes, info);
    } catch (error) {
      await this.root.remove(fileId);
      throw error;
    }
  }

  async resume(state: StoredDownloadState): Promise<DiskDownload> {
    return DiskDownload.resume(await this.root.folder(state.fileId, false), state);
  }

  /** The finished file of a complete download, read from disk. */
  async file(fileId: string): Promise<File> {
    return (await this.root.folder(fileId, false)).snapshot(DATA_FILE);
  }

  async remove(fileId: string): Promise<void> {
    await this.root.remove(fileId);
  }
}
