import { MAX_LOCAL_FOLDER_ENTRIES, type LocalFolder } from '../engine/share/local-folder.ts';

/** A folder dropped or picked on the page. */
export type DroppedFolder = LocalFolder;

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Walks a dropped folder (the entries API: the one every browser has for dropped folders). */
export async function readDroppedFolder(root: FileSystemDirectoryEntry): Promise<DroppedFolder> {
  const folder: DroppedFolder = { name: root.name, files: [], emptyFolders: [] };
  let seen = 0;
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    const reader = dir.createReader();
    const children: FileSystemEntry[] = [];
    // readEntries answers in batches until an empty one.
    for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
      children.push(...batch);
      seen += batch.length;
      if (seen > MAX_LOCAL_FOLDER_ENTRIES)
        throw new Error(`the folder holds more than ${MAX_LOCAL_FOLDER_ENTRIES} entries`);
    }
    if (children.length === 0 && prefix !== '') folder.emptyFolders.push(prefix.slice(0, -1));
    for (const child of children) {
      if (child.isDirectory) await walk(child as FileSystemDirectoryEntry, `${prefix}${child.name}/`);
      else if (child.isFile)
        folder.files.push({ file: await fileOf(child as FileSystemFileEntry), path: `${prefix}${child.name}` });
    }
  };
  await walk(root, '');
  return folder;
}

/** What a "Share folder" picker (`webkitdirectory`) gives: files whose relative paths start with the folder's name. */
export function pickedFolder(files: File[]): DroppedFolder | null {
  const first = files[0]?.webkitRelativePath;
  if (!first) return null;
  const name = first.split('/')[0]!;
  return {
    name,
    files: files.map((file) => ({ file, path: file.webkitRelativePath.slice(name.length + 1) })),
    emptyFolders: [], // a folder picker lists files only
  };
}
