import { useEffect, useState, type ReactNode } from 'react';
import { readDroppedFolder, type DroppedFolder } from './dropped-items.ts';

type OnFiles = (files: File[], handles: ReadonlyMap<File, FileSystemFileHandle>) => void;
type OnFolder = (folder: DroppedFolder, handle: FileSystemDirectoryHandle | null) => void;

/**
 * What was dropped: files, with the handles the browser gives for them where it does (Chromium; a handle can be kept
 * and reopened after a reload), and folders. Entries and handles must be asked for during the drop event itself.
 */
async function droppedItems(transfer: DataTransfer): Promise<{
  files: File[];
  handles: Map<File, FileSystemFileHandle>;
  folders: { entry: FileSystemDirectoryEntry; handle: FileSystemDirectoryHandle | null }[];
}> {
  const pending = Array.from(transfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => ({
      entry: item.webkitGetAsEntry(),
      file: item.getAsFile(),
      handle: item.getAsFileSystemHandle?.().catch(() => null) ?? null,
    }));
  const files: File[] = [];
  const handles = new Map<File, FileSystemFileHandle>();
  const folders: { entry: FileSystemDirectoryEntry; handle: FileSystemDirectoryHandle | null }[] = [];
  for (const { entry, file, handle } of pending) {
    if (entry?.isDirectory) {
      const resolved = await handle;
      const directory =
        typeof FileSystemDirectoryHandle !== 'undefined' && resolved instanceof FileSystemDirectoryHandle
          ? resolved
          : null;
      folders.push({ entry: entry as FileSystemDirectoryEntry, handle: directory });
      continue;
    }
    if (!file) continue;
    files.push(file);
    const resolved = await handle;
    if (typeof FileSystemFileHandle !== 'undefined' && resolved instanceof FileSystemFileHandle)
      handles.set(file, resolved);
  }
  return { files, handles, folders };
}

/** Makes the whole page a drop target for files and folders; shows an overlay while they are dragged over it. */
export function DropZone({
  onFiles,
  onFolder,
  onError,
  children,
}: {
  onFiles: OnFiles;
  onFolder: OnFolder;
  onError: (message: string) => void;
  children: ReactNode;
}) {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let depth = 0;
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      setDragging(false);
      if (!event.dataTransfer) return;
      void droppedItems(event.dataTransfer)
        .then(async ({ files, handles, folders }) => {
          if (files.length > 0) onFiles(files, handles);
          for (const { entry, handle } of folders) onFolder(await readDroppedFolder(entry), handle);
        })
        .catch((error: unknown) => onError(`Could not read what was dropped: ${String(error)}`));
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [onFiles, onFolder, onError]);

  return (
    <>
      {children}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop files or folders to share them
        </div>
      ) : null}
    </>
  );
}
