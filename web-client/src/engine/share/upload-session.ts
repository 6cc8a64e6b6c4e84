import { MAX_QUEUE_PLACE, RejectReason, WIRE_VERSION, type Frame } from '@shoal/common';
import type { WireLink } from '../peer/wire-link.ts';
import type { PieceSource } from './piece-source.ts';
import type { SlotState, SlotTicket, UploadSlots } from './upload-slots.ts';
import type { UploadStats } from './upload-stats.ts';
import type { UploadThrottle } from './upload-throttle.ts';

/** Requests a downloader may have queued with us; more are rejected as busy. */
const MAX_QUEUED_REQUESTS = 64;

export interface UploadOptions {
  /** The page's upload speed cap, shared by all sessions. */
  throttle?: UploadThrottle;
  /** Counts the pieces sent. */
  stats?: UploadStats;
  /** The page's upload slots, shared by all sessions; without them every downloader is served at once. */
  slots?: UploadSlots;
  /** Test-only: flip a byte in every piece chunk sent, to play a corrupting holder. */
  corrupt?: boolean;
}

/**
 * Serves one file over one link: answers the handshake (with the pieces held) and the manifest request, tells the
 * downloader about pieces as this page gains them, then sends requested pieces in order, one chunk at a time as the
 * send buffer drains. The next piece is read while the current one is being sent.
 *
 * With upload slots, the first request of a downloader asks the page's {@link UploadSlots} for a slot. A downloader
 * without one is told its place in the queue (`queued`), its outstanding requests are dropped (it forgets them on
 * hearing its place) and later ones are ignored until it is told `serving`. A slot taken away while a piece is going
 * out takes effect after that piece, so no half-sent piece is wasted. The handshake and the manifest are answered
 * whatever the slot, so a queued downloader knows the file and its place.
 */
export class UploadSession {
  private readonly queue: number[] = [];
  private pumping = false;
  private handshaken = false;
  /** The manifest goes out once per link: asking again would let a peer make us send it over and over. */
  private manifestSent = false;
  private closed = false;
  private readonly unsubscribe: () => void;
  /** This downloader's hold on the page's slots, from its handshake on (null without slots). */
  private ticket: SlotTicket | null = null;
  private slot: SlotState = { kind: 'served' };
  /** The queue place the downloader was last told, null when it was told nothing or `serving` since. */
  private toldPlace: number | null = null;
  /** A piece is going out: a queue place is told after it. */
  private sending = false;

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
        this.ticket?.release();
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
      if (this.options.slots && !this.ticket) {
        this.ticket = this.options.slots.attach(this.link.remotePeerId, (state) => this.onSlot(state));
        this.slot = this.ticket.state;
      }
      const bitfield = this.source.bitfield();
      this.link.send({
        type: 'handshake',
        version: WIRE_VERSION,
        fileId: this.source.id,
        complete: bitfield === null,
        bitfield: bitfield ?? new Uint8Array(0),
      });
      this.tellPlace();
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

  private onSlot(state: SlotState): void {
    this.slot = state;
    if (state.kind === 'queued') {
      this.tellPlace();
    } else if (state.kind === 'served' && this.toldPlace !== null) {
      this.toldPlace = null;
      this.link.send({ type: 'serving' });
    }
  }

  /** Tells a queued downloader its place, dropping its requests; while a piece is going out, right after it. */
  private tellPlace(): void {
    if (this.slot.kind !== 'queued' || this.sending || this.closed || this.toldPlace === this.slot.place) return;
    this.queue.length = 0;
    this.toldPlace = this.slot.place;
    this.link.send({ type: 'queued', place: Math.min(this.slot.place, MAX_QUEUE_PLACE) });
  }

  private enqueue(index: number): void {
    if (!this.source.has(index)) {
      this.link.send({ type: 'reject', index, reason: RejectReason.notAvailable });
      return;
    }
    if (this.ticket) {
      if (this.slot.kind === 'idle') this.ticket.want();
      // Not served: dropped, and the downloader forgets it when it hears its place (which follows).
      if (this.slot.kind !== 'served') return;
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
    this.ticket?.busy(true);
    let reading: Promise<Uint8Array> | null = null;
    try {
      let index = this.queue.shift();
      reading = index === undefined ? null : this.readPiece(index);
      while (index !== undefined && reading && !this.closed && this.slot.kind === 'served') {
        const piece = await reading;
        reading = null;
        // The slot went while the piece was read: the downloader is (being) told its place instead.
        if (this.slot.kind !== 'served') break;
        const nextIndex = this.queue.shift();
        reading = nextIndex === undefined ? null : this.readPiece(nextIndex);
        await this.sendPiece(index, piece);
        index = nextIndex ?? this.queue.shift();
        if (index !== undefined && nextIndex === undefined) reading = this.readPiece(index);
      }
    } catch (error) {
      this.link.close(`cannot read the shared file: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      // A read started for a piece that will not go out now: its failure does not matter any more.
      reading?.catch(() => {});
      this.pumping = false;
      this.ticket?.busy(false);
      this.tellPlace();
    }
  }

  private async sendPiece(index: number, piece: Uint8Array): Promise<void> {
    this.sending = true;
    try {
      const { throttle } = this.options;
      // Without a cap, no call and no await per chunk for it: the uncapped path stays as cheap as it was.
      const chunk = throttle?.limited ? throttle.chunkSize(this.link.chunkSize) : this.link.chunkSize;
      for (let offset = 0; offset < piece.length; offset += chunk) {
        if (!this.link.writable) await this.link.whenWritable();
        if (this.closed) return;
        let data = piece.subarray(offset, offset + chunk);
        if (throttle?.limited) {
          await throttle.take(data.length);
          if (this.closed) return;
        }
        if (this.options.corrupt) {
          data = data.slice();
          data[0] = data[0]! ^ 0xff;
        }
        this.link.send({ type: 'piece', index, offset, data });
      }
      this.options.stats?.record(this.source.id, index);
    } finally {
      this.sending = false;
    }
  }
}
