/** The most a {@link ReadAhead} reads at once: enough to make per-read costs small, little memory per downloader. */
export const MAX_READ_AHEAD = 8 * 1024 * 1024;

interface Span {
  start: number;
  end: number;
  bytes: Promise<Uint8Array>;
}

/**
 * Reads ranges of a Blob, reading ahead while the ranges asked for follow each other. Every `Blob` read costs a round
 * trip to the browser process whatever its size (measured on a file from a file picker: 1 MiB reads took about twice
 * as long per byte as 8 MiB ones), and a downloader mostly asks for a file's pieces in order: so each read in a row
 * twice as long as the one before, up to {@link MAX_READ_AHEAD}; a jump elsewhere starts again from the range asked.
 * What it returns are views of the last read, valid until the caller drops them.
 */
export class ReadAhead {
  /** The read whose bytes serve the next ranges (done or in flight). */
  private span: Span | null = null;
  /** Where the last range asked for ended: a range starting there continues a run. */
  private lastEnd = -1;
  private length = 0;

  constructor(
    private readonly blob: Blob,
    private readonly maxLength = MAX_READ_AHEAD,
  ) {}

  read(start: number, end: number): Promise<Uint8Array> {
    const inRun = start === this.lastEnd;
    this.lastEnd = end;
    let span = this.span;
    if (span === null || start < span.start || end > span.end) {
      this.length = inRun ? Math.min(this.maxLength, Math.max(this.length * 2, end - start)) : end - start;
      const spanEnd = Math.min(this.blob.size, Math.max(end, start + this.length));
      const bytes = this.blob
        .slice(start, spanEnd)
        .arrayBuffer()
        .then((buffer) => new Uint8Array(buffer));
      span = { start, end: spanEnd, bytes };
      this.span = span;
      // A failed read is not kept for the ranges after it.
      bytes.catch(() => {
        if (this.span === span) this.span = null;
      });
    }
    const from = span.start;
    return span.bytes.then((bytes) => bytes.subarray(start - from, end - from));
  }
}
