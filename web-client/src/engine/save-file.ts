/**
 * Saves a Blob to the user's downloads under `name`, through a temporary object URL and a download link.
 * The URL is revoked once the browser has had time to start reading it.
 */
export function saveFile(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Whether the browser can save to a place the user picks, streaming (Chromium's `showSaveFilePicker`). */
export function canSaveAs(): boolean {
  return typeof window !== 'undefined' && typeof window.showSaveFilePicker === 'function';
}

/**
 * Saves a Blob where the user picks, streamed from it (a download kept on disk is never read whole into memory).
 * Resolves false when the user closed the picker.
 */
export async function saveFileAs(file: Blob, name: string): Promise<boolean> {
  if (!window.showSaveFilePicker) throw new Error('this browser cannot save to a chosen place');
  let handle: FileSystemFileHandle;
  try {
    handle = await window.showSaveFilePicker({ suggestedName: name });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return false;
    throw error;
  }
  await file.stream().pipeTo(await handle.createWritable());
  return true;
}
