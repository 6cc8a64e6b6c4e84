/**
 * Buffers to join a piece's chunks in, used again from piece to piece. A fresh 1 MiB buffer per piece (allocated,
 * zeroed, then collected) was most of what joining cost the piece worker: in a page, join + SHA-256 + write took
 * 3.8-4.0 ms of CPU per MiB with a fresh buffer and 2.8-3.0 with a reused one (docs/benchmarks.md, "What mattered for
 * transfer speed"). A joined piece is given back once hashed and stored: the backends copy what they write.
 *
 * The page joins each received piece into one of these too ({@link copy}) and sends that to the piece worker, which
 * hands it back when the piece is stored ({@link adopt}): the data channel's message buffers then die young on the
 * page instead of piling up in the worker between its garbage collections (docs/benchmarks.md, "Storage").
 */
export class JoinBuffers {
  /** Buffers free to use, at most {@link keep}. */
  private readonly spare: Uint8Array[] = [];
  /** The buffers this pool made or adopted: only those come back to it (a lone part stays its sender's). */
  private readonly made = new WeakSet<ArrayBufferLike>();

  constructor(private readonly keep = 2) {}

  /**
   * The parts laid end to end, in a buffer of the pool (or the part itself, if it is the only one); hand it back with
   * {@link release}.
   */
  join(parts: readonly Uint8Array[]): Uint8Array {
    return parts.length === 1 ? parts[0]! : this.copy(parts);
  }

  /** The parts laid end to end in a buffer of the pool, even a lone part; hand it back with {@link release}. */
  copy(parts: readonly Uint8Array[]): Uint8Array {
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const at = this.spare.findIndex((buffer) => buffer.length >= length);
    const buffer = at >= 0 ? this.spare.splice(at, 1)[0]! : this.make(length);
    let offset = 0;
    for (const part of parts) {
      buffer.set(part, offset);
      offset += part.length;
    }
    return buffer.subarray(0, length);
  }

  /** Takes back a joined piece's buffer, once nothing reads it any more. */
  release(joined: Uint8Array): void {
    if (!this.made.has(joined.buffer) || this.spare.some((spare) => spare.buffer === joined.buffer)) return;
    this.keepSpare(joined.buffer);
  }

  /** Takes a buffer of a joined piece back from another thread (transferred there and back, so a new object). */
  adopt(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || this.spare.some((spare) => spare.buffer === buffer)) return;
    this.made.add(buffer);
    this.keepSpare(buffer);
  }

  private keepSpare(buffer: ArrayBufferLike): void {
    this.spare.push(new Uint8Array(buffer, 0, buffer.byteLength));
    // Keep the largest: a file's last piece is shorter than the others, and a small buffer serves few pieces.
    this.spare.sort((a, b) => b.length - a.length);
    this.spare.length = Math.min(this.spare.length, this.keep);
  }

  private make(length: number): Uint8Array {
    const buffer = new Uint8Array(length);
    this.made.add(buffer.buffer);
    return buffer;
  }
}
