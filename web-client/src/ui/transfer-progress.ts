import { percent } from '../format.ts';
import type { DownloadStatus } from '../engine/transfer/download-types.ts';

/** What a transfer row shows of its progress: the percentage, and whether the size is known to show bytes. */
export function transferProgress(transfer: { status: DownloadStatus; verifiedBytes: number; totalBytes: number }): {
  sizeKnown: boolean;
  percent: number;
} {
  // A folder's size is unknown (0) until its listing arrives: its bar stays empty until then, not full.
  const sizeKnown = transfer.totalBytes > 0 || transfer.status === 'complete';
  if (transfer.status === 'complete') return { sizeKnown, percent: 100 };
  return { sizeKnown, percent: sizeKnown ? percent(transfer.verifiedBytes, transfer.totalBytes) : 0 };
}
