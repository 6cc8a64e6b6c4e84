import { MiB } from '../support/stats.ts';

/** The smallest download the memory measure makes, whatever the tab's heap. */
export const MIN_DOWNLOAD_BYTES = 256 * MiB;
/** How many times the tab's starting heap the download is. */
export const HEAP_MULTIPLE = 4;

/**
 * The size of the download that shows whether memory stays flat: four times the tab's starting JS heap (a download
 * held in the tab would then dwarf it), at least 256 MiB, in whole MiB (whole 1 MiB pieces).
 */
export function downloadBytesFor(startHeapBytes: number): number {
  if (!Number.isFinite(startHeapBytes) || startHeapBytes < 0) throw new RangeError('not a heap size');
  return Math.max(MIN_DOWNLOAD_BYTES, Math.ceil((HEAP_MULTIPLE * startHeapBytes) / MiB) * MiB);
}
