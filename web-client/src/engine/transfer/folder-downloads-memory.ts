import { z } from 'zod';
import { fileIdSchema, folderPathSchema } from '@shoal/common';
import type { LocalSettings } from '../local-settings.ts';

const KEY = 'shoal-folder-downloads';
/** Folder downloads remembered at most; the oldest are forgotten first. */
const MAX_REMEMBERED = 200;

/** Read back from storage, which anything may have written: checked like any outside input. */
const rememberedSchema = z.array(z.strictObject({ listingId: fileIdSchema, path: folderPathSchema }));
type Remembered = z.infer<typeof rememberedSchema>;

/**
 * Which folder downloads are under way (a shared folder's listing id, and the path of the part asked for, '' for all
 * of it), kept across reloads. Browser storage keeps the listing and the files' pieces, but not which part of the
 * folder a download was for: without this, a subfolder's download would resume as the whole folder's.
 */
export class FolderDownloadsMemory {
  constructor(private readonly settings: LocalSettings | null) {}

  remember(listingId: string, path: string): void {
    const list = this.read().filter((item) => item.listingId !== listingId || item.path !== path);
    this.write([...list, { listingId, path }].slice(-MAX_REMEMBERED));
  }

  forget(listingId: string, path: string): void {
    const list = this.read();
    const rest = list.filter((item) => item.listingId !== listingId || item.path !== path);
    if (rest.length !== list.length) this.write(rest);
  }

  /** The parts of this shared folder being downloaded, as remembered (none for a folder downloaded before this). */
  pathsOf(listingId: string): string[] {
    return this.read()
      .filter((item) => item.listingId === listingId)
      .map((item) => item.path);
  }

  private read(): Remembered {
    try {
      const parsed = rememberedSchema.safeParse(JSON.parse(this.settings?.getItem(KEY) ?? '[]'));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  private write(list: Remembered): void {
    try {
      this.settings?.setItem(KEY, JSON.stringify(list));
    } catch {
      // Storage full or refused: a reload then resumes such a download as its whole folder.
    }
  }
}
