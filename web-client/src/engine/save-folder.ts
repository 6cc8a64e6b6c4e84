import { makeZip } from 'client-zip';
import type { FolderPart } from './transfer/folder-download.ts';

/** Where zips of downloaded folders are built before the browser saves them; old ones are cleared on load. */
const EXPORTS_FOLDER = 'shoal-exports';

export interface FolderToSave {
  name: string;
  files: FolderPart[];
  emptyFolders: string[];
}

function zipEntries({ name, files, emptyFolders }: FolderToSave) {
  return [
    ...files.map((part) => ({ name: `${name}/${part.path}`, input: part.file, size: part.file.size })),
    ...emptyFolders.map((path) => ({ name: `${name}/${path}/` })),
  ];
}

async function exportsFolder(): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await (await navigator.storage.getDirectory()).getDirectoryHandle(EXPORTS_FOLDER, { create: true });
  } catch {
    return null;
  }
}

/**
 * The folder as one zip (stored, uncompressed: shared files are mostly compressed already), streamed as it is built
 * into a file of the browser's private file system and read back from disk, so no folder has to fit in memory.
 * Without that file system, the zip is built in memory.
 */
export async function zipFolder(folder: FolderToSave): Promise<Blob> {
  const stream = makeZip(zipEntries(folder));
  const exports = await exportsFolder();
  if (!exports) return new Response(stream).blob();
  const handle = await exports.getFileHandle(`${crypto.randomUUID()}.zip`, { create: true });
  await stream.pipeTo(await handle.createWritable());
  return handle.getFile();
}

/** A zip older than this has long been read by the browser's download (another tab may be saving a newer one). */
const EXPORT_MAX_AGE_MS = 60 * 60 * 1000;

/** Removes the zips built for earlier saves. */
export async function clearFolderExports(): Promise<void> {
  const exports = await exportsFolder();
  if (!exports) return;
  for await (const entry of exports.values()) {
    if (entry.kind !== 'file') continue;
    try {
      if (Date.now() - (await entry.getFile()).lastModified > EXPORT_MAX_AGE_MS) await exports.removeEntry(entry.name);
    } catch {
      // Being written or removed by another tab right now.
    }
  }
}

/** Whether the browser can write into a folder the user picks (Chromium's `showDirectoryPicker`). */
export function canSaveIntoFolder(): boolean {
  return typeof window !== 'undefined' && typeof window.showDirectoryPicker === 'function';
}

/**
 * Writes the folder, with its structure, into a folder the user picks: each file streamed from where the download
 * keeps it. Resolves false when the user closed the picker.
 */
export async function saveFolderInto(folder: FolderToSave): Promise<boolean> {
  if (!window.showDirectoryPicker) throw new Error('this browser cannot write into a chosen folder');
  let target: FileSystemDirectoryHandle;
  try {
    target = await window.showDirectoryPicker({ mode: 'readwrite' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return false;
    throw error;
  }
  const root = await target.getDirectoryHandle(folder.name, { create: true });
  const folderAt = async (path: string[]) => {
    let dir = root;
    for (const name of path) dir = await dir.getDirectoryHandle(name, { create: true });
    return dir;
  };
  for (const path of folder.emptyFolders) await folderAt(path.split('/'));
  for (const part of folder.files) {
    const names = part.path.split('/');
    const dir = await folderAt(names.slice(0, -1));
    const handle = await dir.getFileHandle(names[names.length - 1]!, { create: true });
    await part.file.stream().pipeTo(await handle.createWritable());
  }
  return true;
}
