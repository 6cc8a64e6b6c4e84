import {
  MAX_PIECE_COUNT,
  ManifestError,
  RejectReason,
  WIRE_VERSION,
  hasBit,
  pieceCount,
  pieceLength,
  verifyManifest,
  verifyPiece,
  type Frame,
  type Manifest,
} from '@shoal/common';
import type { WireLink } from '../peer/wire-link.ts';
import type { PieceStore, PieceStoreFactory } from '../storage/piece-store.ts';
import type { RequestResult } from '../tracker-client.ts';
import { PiecePicker } from './piece-picker.ts';
import { SpeedMeter } from './speed-meter.ts';

/** Knobs of a download; tests shorten the timers. */
export interface DownloadTuning {
  /** Pieces requested from one peer at a time, so its channel never idles between pieces. */
  pipelineDepth: number;
  /** Peers one download talks to at once. */
  maxPeers: number;
  /** A peer with requests outstanding that sends nothing for this long is dropped; its requests go elsewhere. */
  stallMs: number;
  /** How often a waiting download asks the tracker for holders again. */
  retryMs: number;
  /** Pieces failing verification before a peer is dropped for this download. */
  maxBadPieces: number;
  /** Period of the housekeeping tick (stall checks, speed refresh). */
  tickMs: number;
  /** While downloading with room for more peers, how often to ask the tracker for more holders. */
  moreHoldersEveryMs: number;
}

export const DEFAULT_DOWNLOAD_TUNING: DownloadTuning = {
  pipelineDepth: 4,
  maxPeers: 4,
  stallMs: 12_000,
  retryMs: 3_000,
  maxBadPieces: 3,
  tickMs: 1_000,
  moreHoldersEveryMs: 10_000,
};

export type DownloadStatus = 'connecting' | 'downloading' | 'waiting' | 'saving' | 'complete' | 'failed' | 'cancelled';

/** What the UI shows of a download. */
export interface DownloadSnapshot {
  status: DownloadStatus;
  /** File size: the verified manifest's once known, the listing's before. */
  totalBytes: number;
  verifiedBytes: number;
  bytesPerSecond: number;
  /** Estimated seconds left, null when unknown. */
  secondsLeft: number | null;
  /** Peers currently connected for this download. */
  peers: number;
  /** A sentence on what is happening (why it waits, why it failed). */
  message: string;
}

export interface DownloadDeps {
  /** Asks the tracker who holds the file. */
  findHolders(fileId: string): Promise<RequestResult<string[]>>;
  /** Opens an initiator link to `peerId` about `fileId`. */
  connect(peerId: string, fileId: string): WireLink;
  createStore: PieceStoreFactory;
  /** Something in the snapshot changed. */
  onChange(): void;
  /** Every piece is verified: here is the file and its manifest. */
  onComplete(file: Blob, manifest: Manifest): void;
  tuning?: Partial<DownloadTuning>;
}

interface PendingPiece {
  buffer: Uint8Array;
  received: number;
}

interface PeerState {
  link: WireLink;
  handshaken: boolean;
  /** Pieces the peer holds; null means all of them. */
  bitfield: Uint8Array | null;
  inFlight: Map<number, PendingPiece>;
  badPieces: number;
  lastActivity: number;
}

interface ManifestTransfer {
  from: PeerState;
  bytes: Uint8Array | null;
  received: number;
}

/**
 * One file being downloaded: finds holders through the tracker, connects to several, fetches and verifies the
 * manifest, then keeps a pipeline of piece requests to each peer, verifies every piece against the manifest and
 * stores it. A peer that leaves or stalls has its requests re-issued elsewhere; with nobody left, the download waits
 * and asks the tracker again until a holder appears. Nothing is handed out until every piece has verified.
 */
export class Download {
  private status: DownloadStatus = 'connecting';
  private message = 'Looking for holders…';
  private readonly peers = new Map<string, PeerState>();
  /** Peers that sent bad data; never used again for this download. */
  private readonly banned = new Set<string>();
  private manifest: Manifest | null = null;
  private manifestTransfer: ManifestTransfer | null = null;
  private picker: PiecePicker | null = null;
  private store: PieceStore | null = null;
  private verifiedBytes = 0;
  private readonly meter = new SpeedMeter();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly ticker: ReturnType<typeof setInterval>;
  private lookingForHolders = false;
  private lastLookup = 0;
  private readonly tuning: DownloadTuning;
  /** For the User Timing measures (`shoal:first-piece`, `shoal:download`) that benchmarks and DevTools read. */
  private readonly startedAt = performance.now();

  constructor(
    readonly fileId: string,
    readonly size: number,
    readonly mimeType: string,
    private readonly deps: DownloadDeps,
  ) {
    this.tuning = { ...DEFAULT_DOWNLOAD_TUNING, ...deps.tuning };
    this.ticker = setInterval(() => this.tick(), this.tuning.tickMs);
    void this.lookForHolders();
  }

  snapshot(): DownloadSnapshot {
    const bytesPerSecond = this.status === 'downloading' ? this.meter.bytesPerSecond() : 0;
    const totalBytes = this.manifest?.size ?? this.size;
    const left = totalBytes - this.verifiedBytes;
    return {
      status: this.status,
      totalBytes,
      verifiedBytes: this.verifiedBytes,
      bytesPerSecond,
      secondsLeft: bytesPerSecond > 0 ? left / bytesPerSecond : null,
      peers: [...this.peers.values()].filter((peer) => peer.handshaken).length,
      message: this.message,
    };
  }

  get finished(): boolean {
    return this.status === 'complete' || this.status === 'failed' || this.status === 'cancelled';
  }

  cancel(): void {
    if (this.finished) return;
    this.setStatus('cancelled', 'Cancelled');
    this.shutdown('download cancelled');
    void this.store?.dispose();
  }

  /** A tracker (re)connection: a waiting download looks again at once. */
  trackerOnline(): void {
    if (this.status === 'waiting' || this.status === 'connecting') void this.lookForHolders();
  }

  private setStatus(status: DownloadStatus, message: string): void {
    this.status = status;
    this.message = message;
    this.deps.onChange();
  }

  private async lookForHolders(): Promise<void> {
    if (this.finished || this.lookingForHolders) return;
    this.lookingForHolders = true;
    this.lastLookup = performance.now();
    try {
      const result = await this.deps.findHolders(this.fileId);
      if (this.finished) return;
      if (result.ok) {
        for (const peerId of result.data) {
          if (this.peers.size >= this.tuning.maxPeers) break;
          if (!this.peers.has(peerId) && !this.banned.has(peerId)) this.connectTo(peerId);
        }
      }
      if (this.peers.size === 0) {
        const why = result.ok ? 'No holder is online right now' : `Tracker unavailable (${result.error.message})`;
        this.setStatus('waiting', `${why}. Waiting for a holder…`);
      }
    } finally {
      this.lookingForHolders = false;
    }
    this.scheduleRetryIfIdle();
  }

  private scheduleRetryIfIdle(): void {
    if (this.finished || this.peers.size > 0 || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.lookForHolders();
    }, this.tuning.retryMs);
  }

  private connectTo(peerId: string): void {
    const peer: PeerState = {
      link: this.deps.connect(peerId, this.fileId),
      handshaken: false,
      bitfield: null,
      inFlight: new Map(),
      badPieces: 0,
      lastActivity: performance.now(),
    };
    this.peers.set(peerId, peer);
    if (this.status === 'waiting') this.setStatus('connecting', 'Connecting to a holder…');
    peer.link.attach({
      open: () => {
        peer.lastActivity = performance.now();
        peer.link.send({
          type: 'handshake',
          version: WIRE_VERSION,
          fileId: this.fileId,
          complete: false,
          bitfield: new Uint8Array(0),
        });
      },
      frame: (frame) => this.onFrame(peer, frame),
      close: (reason) => this.onPeerClosed(peer, reason),
    });
  }

  private drop(peer: PeerState, reason: string, ban = false): void {
    if (ban) this.banned.add(peer.link.remotePeerId);
    peer.link.close(reason);
  }

  private onFrame(peer: PeerState, frame: Frame): void {
    if (this.finished) return;
    peer.lastActivity = performance.now();
    if (!peer.handshaken) {
      if (frame.type !== 'handshake' || frame.fileId !== this.fileId || frame.version !== WIRE_VERSION) {
        this.drop(peer, 'bad handshake', true);
        return;
      }
      this.onHandshake(peer, frame.complete, frame.bitfield);
      return;
    }
    switch (frame.type) {
      case 'manifest':
        this.onManifestChunk(peer, frame.totalLength, frame.offset, frame.data);
        break;
      case 'piece':
        this.onPieceChunk(peer, frame.index, frame.offset, frame.data);
        break;
      case 'reject':
        this.onReject(peer, frame.index, frame.reason);
        break;
      case 'have':
        if (peer.bitfield && frame.index < peer.bitfield.length * 8) {
          peer.bitfield[frame.index >> 3]! |= 0x80 >> (frame.index & 7);
          this.fill(peer);
        }
        break;
      default:
        // A downloader has nothing to serve yet: requests, cancels and repeated handshakes are ignored.
        break;
    }
  }

  private onHandshake(peer: PeerState, complete: boolean, bitfield: Uint8Array): void {
    if (!complete && bitfield.length * 8 > MAX_PIECE_COUNT) {
      this.drop(peer, 'bitfield too long', true);
      return;
    }
    peer.handshaken = true;
    peer.bitfield = complete ? null : new Uint8Array(bitfield);
    if (this.manifest) {
      if (this.status !== 'downloading') this.setStatus('downloading', 'Downloading');
      this.fill(peer);
    } else if (!this.manifestTransfer) {
      this.requestManifest(peer);
    }
    this.deps.onChange();
  }

  private requestManifest(peer: PeerState): void {
    this.manifestTransfer = { from: peer, bytes: null, received: 0 };
    peer.link.send({ type: 'manifestRequest' });
  }

  private onManifestChunk(peer: PeerState, totalLength: number, offset: number, data: Uint8Array): void {
    const transfer = this.manifestTransfer;
    if (!transfer || transfer.from !== peer || this.manifest) return;
    transfer.bytes ??= new Uint8Array(totalLength);
    if (transfer.bytes.length !== totalLength || offset !== transfer.received) {
      this.drop(peer, 'inconsistent manifest chunks', true);
      return;
    }
    transfer.bytes.set(data, offset);
    transfer.received += data.length;
    if (transfer.received === totalLength) void this.acceptManifest(peer, transfer.bytes);
  }

  private async acceptManifest(peer: PeerState, bytes: Uint8Array): Promise<void> {
    let manifest: Manifest;
    try {
      manifest = await verifyManifest(bytes, this.fileId);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      this.manifestTransfer = null;
      this.drop(peer, `sent a bad manifest: ${error.message}`, true);
      this.askAnotherForManifest();
      return;
    }
    if (this.finished || this.manifest) return;
    if (manifest.size !== this.size) {
      // The listed size came from the tracker, which cannot check it; the verified manifest is the truth.
      this.message = `Size differs from the listing; using the verified ${manifest.size} bytes`;
    }
    this.manifest = manifest;
    this.manifestTransfer = null;
    this.picker = new PiecePicker(pieceCount(manifest));
    this.store = this.deps.createStore(this.fileId, pieceCount(manifest));
    this.setStatus('downloading', 'Downloading');
    if (this.picker.isComplete) {
      void this.finish();
      return;
    }
    for (const other of this.peers.values()) if (other.handshaken) this.fill(other);
  }

  private askAnotherForManifest(): void {
    if (this.manifest || this.manifestTransfer) return;
    const next = [...this.peers.values()].find((peer) => peer.handshaken && peer.link.isOpen);
    if (next) this.requestManifest(next);
  }

  private peerHas(peer: PeerState, index: number): boolean {
    return peer.bitfield === null || hasBit(peer.bitfield, index);
  }

  /** Tops up the peer's pipeline of requests. */
  private fill(peer: PeerState): void {
    const { picker, manifest } = this;
    if (!picker || !manifest || !peer.handshaken || !peer.link.isOpen) return;
    while (peer.inFlight.size < this.tuning.pipelineDepth) {
      const index = picker.next((i) => this.peerHas(peer, i));
      if (index === null) return;
      peer.inFlight.set(index, { buffer: new Uint8Array(pieceLength(manifest, index)), received: 0 });
      peer.link.send({ type: 'request', index });
    }
  }

  private onPieceChunk(peer: PeerState, index: number, offset: number, data: Uint8Array): void {
    const pending = peer.inFlight.get(index);
    // Chunks of a piece we cancelled or never asked this peer for can still be in flight: ignore them.
    if (!pending) return;
    if (offset !== pending.received || offset + data.length > pending.buffer.length) {
      this.drop(peer, 'piece data out of order or too long', true);
      return;
    }
    pending.buffer.set(data, offset);
    pending.received += data.length;
    if (pending.received < pending.buffer.length) return;
    peer.inFlight.delete(index);
    this.fill(peer);
    void this.acceptPiece(peer, index, pending.buffer);
  }

  private async acceptPiece(peer: PeerState, index: number, bytes: Uint8Array): Promise<void> {
    const { manifest, picker, store } = this;
    if (!manifest || !picker || !store) return;
    if (!(await verifyPiece(manifest, index, bytes))) {
      picker.release(index);
      peer.badPieces++;
      if (peer.badPieces >= this.tuning.maxBadPieces) this.drop(peer, 'sent pieces that failed verification', true);
      else this.fill(peer);
      for (const other of this.peers.values()) if (other !== peer) this.fill(other);
      return;
    }
    if (this.finished || picker.isDone(index)) return;
    await store.write(index, bytes);
    if (this.finished || !picker.complete(index)) return;
    if (this.verifiedBytes === 0) {
      performance.measure('shoal:first-piece', { start: this.startedAt, detail: { fileId: this.fileId } });
    }
    this.verifiedBytes += bytes.length;
    this.meter.record(bytes.length);
    this.deps.onChange();
    if (picker.isComplete) void this.finish();
  }

  private onReject(peer: PeerState, index: number, reason: number): void {
    if (!peer.inFlight.delete(index)) return;
    this.picker?.release(index);
    if (reason === RejectReason.notAvailable && peer.bitfield) peer.bitfield[index >> 3]! &= ~(0x80 >> (index & 7));
    for (const other of this.peers.values()) if (other !== peer) this.fill(other);
    // A busy peer gets asked again on the next tick rather than in a tight loop.
  }

  private onPeerClosed(peer: PeerState, reason: string): void {
    if (this.peers.get(peer.link.remotePeerId) !== peer) return;
    this.peers.delete(peer.link.remotePeerId);
    for (const index of peer.inFlight.keys()) this.picker?.release(index);
    peer.inFlight.clear();
    if (this.finished) return;
    if (this.manifestTransfer?.from === peer) {
      this.manifestTransfer = null;
      this.askAnotherForManifest();
    }
    for (const other of this.peers.values()) this.fill(other);
    if (this.peers.size === 0) {
      this.meter.reset();
      this.setStatus('waiting', `Holder lost (${reason}). Waiting for a holder…`);
      this.scheduleRetryIfIdle();
    } else {
      this.deps.onChange();
    }
  }

  private tick(): void {
    if (this.finished) return;
    const now = performance.now();
    for (const peer of this.peers.values()) {
      const waitingForData = peer.inFlight.size > 0 || this.manifestTransfer?.from === peer;
      if (waitingForData && now - peer.lastActivity > this.tuning.stallMs) this.drop(peer, 'the peer stalled');
      else this.fill(peer);
    }
    if (
      this.status === 'downloading' &&
      this.peers.size < this.tuning.maxPeers &&
      now - this.lastLookup > this.tuning.moreHoldersEveryMs
    ) {
      void this.lookForHolders();
    }
    this.deps.onChange();
  }

  private async finish(): Promise<void> {
    const { manifest, store } = this;
    if (!manifest || !store || this.status === 'saving' || this.finished) return;
    this.setStatus('saving', 'Saving…');
    this.shutdown('download complete');
    try {
      const file = await store.file(this.mimeType);
      if (file.size !== manifest.size) throw new Error(`assembled ${file.size} bytes, expected ${manifest.size}`);
      performance.measure('shoal:download', { start: this.startedAt, detail: { fileId: this.fileId, bytes: file.size } });
      this.setStatus('complete', 'Complete');
      this.deps.onComplete(file, manifest);
    } catch (error) {
      this.setStatus(
        'failed',
        `Could not assemble the file: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private shutdown(reason: string): void {
    clearInterval(this.ticker);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    // Forget the peers before closing them, so their close events are not taken for holders leaving.
    const peers = [...this.peers.values()];
    this.peers.clear();
    for (const peer of peers) peer.link.close(reason);
  }
}
