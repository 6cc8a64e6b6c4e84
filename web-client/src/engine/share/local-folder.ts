/** A folder from the user's disk: its name, its files with their paths inside it, and its empty folders. */
export interface LocalFolder {
  name: string;
  files: { file: File; path: string }[];
  emptyFolders: string[];
}

/** Most entries read from one folder, so sharing a huge tree by mistake cannot hang the page. */
export const MAX_LOCAL_FOLDER_ENTRIES = 20_000;

/** Reads a folder the browser gave a handle to (a dropped folder in Chromium, kept across reloads). */
export async function readFolderHandle(root: FileSystemDirectoryHandle): Promise<LocalFolder> {
  const folder: LocalFolder = { name: root.name, files: [], emptyFolders: [] };
  let seen = 0;
  const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
    let children = 0;
    for await (const entry of dir.values()) {
      children++;
      if (++seen > MAX_LOCAL_FOLDER_ENTRIES) {
        throw new Error(`the folder holds more than ${MAX_LOCAL_FOLDER_ENTRIES} entries`);
      }
      if (entry.kind === 'directory') await walk(entry, `${prefix}${entry.name}/`);
      else folder.files.push({ file: await entry.getFile(), path: `${prefix}${entry.name}` });
    }
    if (children === 0 && prefix !== '') folder.emptyFolders.push(prefix.slice(0, -1));
  };
  await walk(root, '');
  return folder;
}
