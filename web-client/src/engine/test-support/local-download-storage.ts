import type { DownloadStorage, StoredDownload } from '../storage/download-storage.ts';
import { toStoredDownload } from '../storage/download-storage.ts';
import type { DownloadRoot } from '../storage/disk/sync-file.ts';
import { PieceKeeper } from '../storage/piece-keeper.ts';
import type { PieceStore, PieceStoreTarget } from '../storage/piece-store.ts';

/**
 * The page's download storage without the worker around it: the same {@link PieceKeeper}, called in the test's own
 * thread, over a root the test provides (a `MemoryRoot`, which keeps the file system's rules). Opening it again on
 * the same root is what a reload does.
 */
export class LocalDownloadStorage implements DownloadStorage {
  private nextStoreId = 1;

  private constructor(
    private readonly keeper: PieceKeeper,
    readonly stored: readonly StoredDownload[],
  ) {}

  static async open(root: DownloadRoot | null): Promise<LocalDownloadStorage> {
    const keeper = new PieceKeeper(root);
    return new LocalDownloadStorage(keeper, (await keeper.load()).map(toStoredDownload));
  }

  get persistent(): boolean {
    return this.keeper.persistent;
  }

  async create(target: PieceStoreTarget): Promise<PieceStore> {
    const storeId = this.nextStoreId++;
    await this.keeper.open(storeId, target.fileId, target.manifestBytes, target.name, target.mimeType);
    return this.storeOf(storeId, target.fileId);
  }

  async resume(download: StoredDownload): Promise<PieceStore> {
    const storeId = this.nextStoreId++;
    await this.keeper.resume(storeId, download.fileId);
    return this.storeOf(storeId, download.fileId);
  }

  async remove(fileId: string): Promise<void> {
    await this.keeper.remove(null, fileId);
  }

  async estimate(): Promise<null> {
    return null;
  }

  async persist(): Promise<boolean> {
    return false;
  }

  private storeOf(storeId: number, fileId: string): PieceStore {
    const { keeper } = this;
    return {
      verifyAndWrite: (index, parts) => keeper.write(storeId, index, parts),
      read: (index) => keeper.read(storeId, index),
      finish: (mimeType) => keeper.finish(storeId, mimeType),
      setPaused: (paused) => keeper.setPaused(storeId, paused),
      close: async () => keeper.close(storeId),
      remove: () => keeper.remove(storeId, fileId),
    };
  }
}
