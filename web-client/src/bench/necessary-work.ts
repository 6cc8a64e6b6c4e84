import type { NecessaryWorkReply, NecessaryWorkRequest } from './necessary-work-protocol.ts';

/**
 * The transfer benchmark's floor: a bare data channel doing only what any verified, stored download must do with
 * each byte, and nothing of Shoal's. The sender reads the shared file from disk (in 16 MiB reads, the cheapest
 * Blob reads measured, one in flight ahead); the receiver copies each 1 MiB piece into a buffer of a small pool and
 * hands it to a worker that hashes it with SHA-256 and writes it to the Origin Private File System. Shoal's ratio to
 * this floor is what its engine costs beyond the work itself. It reads and pools with its own few lines rather than
 * the engine's `ReadAhead` and `JoinBuffers`, so that the floor stays free of Shoal's code and a change there cannot
 * move it.
 */

const PIECE_BYTES = 1024 * 1024;
const READ_BYTES = 16 * 1024 * 1024;

/** The file's bytes in `messageBytes` views, read from disk in long reads, the next one read while one is sent. */
export async function* fileMessages(file: Blob, messageBytes: number): AsyncGenerator<Uint8Array> {
  const read = (at: number) =>
    file
      .slice(at, at + READ_BYTES)
      .arrayBuffer()
      .then((buffer) => new Uint8Array(buffer));
  let next: Promise<Uint8Array> | null = file.size > 0 ? read(0) : null;
  for (let at = 0; next; at += READ_BYTES) {
    const bytes = await next;
    next = at + READ_BYTES < file.size ? read(at + READ_BYTES) : null;
    for (let offset = 0; offset < bytes.length; offset += messageBytes) {
      yield bytes.subarray(offset, offset + messageBytes);
    }
  }
}

/** Receives a stream of messages as 1 MiB pieces, hashed and stored by a worker. */
export class PieceSink {
  private readonly worker = new Worker(new URL('./necessary-work-worker.ts', import.meta.url), {
    type: 'module',
    name: 'necessary-work',
  });
  private readonly spare: ArrayBuffer[] = [];
  private piece: Uint8Array | null = null;
  private filled = 0;
  /** Where the piece being filled starts in the file. */
  private pieceAt = 0;
  private posted = 0;
  private stored = 0;
  private whenStored: (() => void) | null = null;
  private whenClosed: (() => void) | null = null;
  private failure: Error | null = null;

  constructor() {
    this.worker.onmessage = ({ data }: MessageEvent<NecessaryWorkReply>) => {
      if (data.type === 'stored') this.onStored(data.buffer);
      else if (data.type === 'closed') this.whenClosed?.();
      else if (data.type === 'error') this.fail(new Error(data.message));
    };
    // The worker takes requests in order: pieces may follow at once.
    this.post({ type: 'open' });
  }

  push(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length;) {
      this.piece ??= new Uint8Array(this.spare.pop() ?? new ArrayBuffer(PIECE_BYTES));
      const take = Math.min(PIECE_BYTES - this.filled, bytes.length - at);
      this.piece.set(bytes.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === PIECE_BYTES) this.postPiece();
    }
  }

  /** Stores what is left, waits for every piece to be stored, then closes (and removes) the file. */
  async finish(): Promise<void> {
    if (this.filled > 0) this.postPiece();
    await new Promise<void>((resolve) => {
      this.whenStored = resolve;
      this.onStored(null);
    });
    await new Promise<void>((resolve) => {
      this.whenClosed = resolve;
      this.post({ type: 'close' });
    });
    this.worker.terminate();
    if (this.failure) throw this.failure;
  }

  private postPiece(): void {
    const piece = this.piece!;
    this.post({ type: 'piece', buffer: piece.buffer as ArrayBuffer, length: this.filled, at: this.pieceAt }, [
      piece.buffer as ArrayBuffer,
    ]);
    this.pieceAt += this.filled;
    this.posted++;
    this.piece = null;
    this.filled = 0;
  }

  private onStored(buffer: ArrayBuffer | null): void {
    if (buffer) {
      this.stored++;
      this.spare.push(buffer);
    }
    if (this.whenStored && this.stored === this.posted) this.whenStored();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    // Nothing more will be stored: let a waiting finish() see the failure.
    this.stored = this.posted;
    this.onStored(null);
    this.whenClosed?.();
  }

  private post(request: NecessaryWorkRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }
}
