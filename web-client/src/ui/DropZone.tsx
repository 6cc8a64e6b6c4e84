import { useEffect, useState, type ReactNode } from 'react';

type OnFiles = (files: File[], handles: ReadonlyMap<File, FileSystemFileHandle>) => void;

/**
 * The dropped files, with the handles the browser gives for them where it does (Chromium): a handle can be kept and
 * reopened after a reload. Handles must be asked for during the drop event itself.
 */
async function droppedFiles(
  transfer: DataTransfer,
): Promise<{ files: File[]; handles: Map<File, FileSystemFileHandle> }> {
  const pending = Array.from(transfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => ({ file: item.getAsFile(), handle: item.getAsFileSystemHandle?.().catch(() => null) ?? null }));
  const files: File[] = [];
  const handles = new Map<File, FileSystemFileHandle>();
  for (const { file, handle } of pending) {
    if (!file) continue;
    files.push(file);
    const resolved = await handle;
    if (typeof FileSystemFileHandle !== 'undefined' && resolved instanceof FileSystemFileHandle)
      handles.set(file, resolved);
  }
  return { files, handles };
}

/** Makes the whole page a drop target for files; shows an overlay while files are dragged over it. */
export function DropZone({ onFiles, children }: { onFiles: OnFiles; children: ReactNode }) {
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
      void droppedFiles(event.dataTransfer).then(({ files, handles }) => {
        if (files.length > 0) onFiles(files, handles);
      });
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
  }, [onFiles]);

  return (
    <>
      {children}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop files to share them
        </div>
      ) : null}
    </>
  );
}
