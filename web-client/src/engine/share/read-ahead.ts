// The limits module alone: the hashing worker reads through this too, and its bundle stays free of zod.
import { MiB } from '@shoal/common/limits';

/** The most a {@link ReadAhead} reads at once: what the only downloader served gets (see {@link readAheadLimit}). */
export const MAX_READ_AHEAD = 16 * MiB;
/** The least, however many downloaders share the budget: about a piece. */
export const MIN_READ_AHEAD = 1 * MiB;
/**
 * What the page's read-aheads may hold at once, shared by the downloaders it serves; each holds up to two reads (the
 * one being sent and the next). Longer reads cost less CPU per byte (`bench/transfer/file-reads.ts`: about 3 ms of
 * browser CPU per MiB in 4 MiB reads, about 2 in 16 MiB ones), so the only downloader gets 16 MiB reads, and four
 * (the default upload slots) get the 4 MiB ones every downloader used to get.
 */
export const READ_AHEAD_BUDGET = 32 * MiB;

/** The longest read for each of `served` downloaders sharing {@link READ_AHEAD_BUDGET}, in whole bytes. */
export function readAheadLimit(served: number): number {
  const share = Math.floor(READ_AHEAD_BUDGET / (2 * Math.max(1, served)));
  return Math.min(MAX_READ_AHEAD, Math.max(MIN_READ_AHEAD, share));
}

interface Span {
  start: number;
  end: number;
  bytes: Promise<Uint8Array>;
}

/**
 * Reads ranges of a Blob, reading ahead while the ranges asked for follow each other. Every `Blob` read costs a round
 * trip to the browser process whatever its size (measured on a file from a file picker: 1 MiB reads took about twice
 * as long per byte as 8 MiB ones), and a downloader mostly asks for a file's pieces in order: so each read in a run
 * is twice as long as the one before, up to {@link MAX_READ_AHEAD}, and once half of a read has been asked for, the
 * next one starts, so the run never waits for the disk. A jump elsewhere starts again from the range asked. What it
 * returns are views of its reads, valid until the caller drops them.
 */
export class ReadAhead {
  /** The read serving the ranges asked for now (done or in flight). */
  private current: Span | null = null;
  /** The read after it, started early while a run goes on. */
  private next: Span | null = null;
  /** Where the last range asked for ended: a range starting there continues a run. */
  private lastEnd = -1;
  private length = 0;

  constructor(
    private readonly blob: Blob,
    /** The longest read, or how to learn it at each read (it follows how many downloaders share the budget). */
    private readonly maxLength: number | (() => number) = MAX_READ_AHEAD,
  ) {}

  read(start: number, end: number): Promise<Uint8Array> {
    const inRun = start === this.lastEnd;
    this.lastEnd = end;
    if (!covers(this.current, start, end)) {
      if (inRun && covers(this.next, start, end)) {
        this.current = this.next;
      } else {
        this.length = inRun ? this.grown(end - start) : end - start;
        this.current = this.readSpan(start, Math.max(end, start + this.length));
      }
      this.next = null;
    }
    const span = this.current as Span;
    if (inRun && this.next === null && end > (span.start + span.end) / 2 && span.end < this.blob.size) {
      this.length = this.grown(this.length);
      this.next = this.readSpan(span.end, span.end + this.length);
    }
    const from = span.start;
    return span.bytes.then((bytes) => bytes.subarray(start - from, end - from));
  }

  /** The next read's length in a run: twice the last, within the limit, and at least `least`. */
  private grown(least: number): number {
    // Whole bytes: a fractional end would shift the bytes of every read after it.
    const max = Math.floor(typeof this.maxLength === 'number' ? this.maxLength : this.maxLength());
    return Math.min(max, Math.max(this.length * 2, least));
  }

  private readSpan(start: number, end: number): Span {
    const spanEnd = Math.min(this.blob.size, end);
    const bytes = this.blob
      .slice(start, spanEnd)
      .arrayBuffer()
      .then((buffer) => new Uint8Array(buffer));
    const span = { start, end: spanEnd, bytes };
    // A failed read is not kept for the ranges after it (its own caller sees the failure).
    bytes.catch(() => {
      if (this.current === span) this.current = null;
      if (this.next === span) this.next = null;
    });
    return span;
  }
}

function covers(span: Span | null, start: number, end: number): boolean {
  return span !== null && start >= span.start && end <= span.end;
}
