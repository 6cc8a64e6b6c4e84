import { RejectReason, WIRE_VERSION, type Frame } from '@shoal/common';
import type { WireLink } from '../peer/wire-link.ts';
import type { PieceSource } from './piece-source.ts';
import type { UploadStats } from './upload-stats.ts';
import type { UploadThrottle } from './upload-throttle.ts';

/** Requests a downloader may have queued with us; more are rejected as busy. */
const MAX_QUEUED_REQUESTS = 64;

export interface UploadOptions {
  /** The page's upload speed cap, shared by all sessions. */
  throttle?: UploadThrottle;
  /** Counts the pieces sent. */
  stats?: UploadStats;
  /** Test-only: flip a byte in every piece chunk sent, to play a corrupting holder. */
  corrupt?: boolean;
}

/**
 * Serves one file over one link: answers the handshake (with the pieces held) and the manifest request, tells the
 * downloader about pieces as this page gains them, then sends requested pieces in order, one chunk at a time as the
 * send buffer drains. The next piece is read while the current one is being sent.
 */
export class UploadSession {
  private readonly queue: number[] = [];
  private pumping = false;
  private handshaken = false;
  /** The manifest goes out once per link: asking again would let a peer make us send it over and over. */
  private manifestSent = false;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly link: WireLink,
    private readonly source: PieceSource,
    private readonly onEnd: (reason: string) => void,
    private readonly options: UploadOptions = {},
  ) {
    this.unsubscribe = source.onPiece((index) => {
      if (this.handshaken) link.send({ type: 'have', index });
    });
    link.attach({
      open: () => {},
      frame: (frame) => this.onFrame(frame),
      close: (reason) => {
        this.closed = true;
        this.queue.length = 0;
        this.unsubscribe();
        this.onEnd(reason);
      },
    });
  }

  /** The file stopped being shared: end the session. */
  stop(): void {
    this.link.close('no longer shared');
  }

  private onFrame(frame: Frame): void {
    if (frame.type === 'handshake') {
      if (frame.fileId !== this.source.id || frame.version !== WIRE_VERSION) {
        this.link.close('handshake for another file or wire version');
        return;
      }
      this.handshaken = true;
      const bitfield = this.source.bitfield();
      this.link.send({
        type: 'handshake',
        version: WIRE_VERSION,
        fileId: this.source.id,
        complete: bitfield === null,
        bitfield: bitfield ?? new Uint8Array(0),
      });
      return;
    }
    if (!this.handshaken) {
      this.link.close('frame before handshake');
      return;
    }
    switch (frame.type) {
      case 'manifestRequest':
        if (this.manifestSent) this.link.close('asked for the manifest twice');
        else this.sendManifest();
        break;
      case 'request':
        this.enqueue(frame.index);
        break;
      case 'cancel': {
        const at = this.queue.indexOf(frame.index);
        if (at >= 0) this.queue.splice(at, 1);
        break;
      }
      default:
        // have/reject/piece/manifest frames mean nothing to the serving side; ignore them.
        break;
    }
  }

  private sendManifest(): void {
    this.manifestSent = true;
    const bytes = this.source.manifestBytes;
    const chunk = this.link.chunkSize;
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      const data = bytes.subarray(offset, offset + chunk);
      this.link.send({ type: 'manifest', totalLength: bytes.length, offset, data });
    }
  }

  private enqueue(index: number): void {
    if (!this.source.has(index)) {
      this.link.send({ type: 'reject', index, reason: RejectReason.notAvailable });
      return;
    }
    if (this.queue.length >= MAX_QUEUED_REQUESTS) {
      this.link.send({ type: 'reject', index, reason: RejectReason.busy });
      return;
    }
    if (!this.queue.includes(index)) this.queue.push(index);
    void this.pump();
  }

  private readPiece(index: number): Promise<Uint8Array> {
    return this.source.read(index);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let index = this.queue.shift();
      let reading = index === undefined ? null : this.readPiece(index);
      while (index !== undefined && reading && !this.closed) {
        const piece = await reading;
        const nextIndex = this.queue.shift();
        reading = nextIndex === undefined ? null : this.readPiece(nextIndex);
        await this.sendPiece(index, piece);
        index = nextIndex ?? this.queue.shift();
        if (index !== undefined && nextIndex === undefined) reading = this.readPiece(index);
      }
    } catch (error) {
      this.link.close(`cannot read the shared file: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.pumping = false;
    }
  }

  private async sendPiece(index: number, piece: Uint8Array): Promise<void> {
    const chunk = this.link.chunkSize;
    for (let offset = 0; offset < piece.length; offset += chunk) {
      if (!this.link.writable) await this.link.whenWritable();
      if (this.closed) return;
      let data = piece.subarray(offset, offset + chunk);
      await this.options.throttle?.take(data.length);
      if (this.closed) return;
      if (this.options.corrupt) {
        data = data.slice();
        data[0] = data[0]! ^ 0xff;
      }
      this.link.send({ type: 'piece', index, offset, data });
    }
    this.options.stats?.record(this.source.id, index);
  }
}
