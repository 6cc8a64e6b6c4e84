import {
  ManifestError,
  RejectReason,
  WIRE_VERSION,
  clearBit,
  fitsPieceCount,
  hasBit,
  pieceCount,
  pieceLength,
  setBit,
  verifyManifest,
  type Frame,
  type Manifest,
} from '@shoal/common';
import type { WireLink } from '../peer/wire-link.ts';
import type { PieceSource } from '../share/piece-source.ts';
import type { PieceStore } from '../storage/piece-store.ts';
import type { RequestResult } from '../tracker-client.ts';
import { newPeerState, peerHas, pipelineFor, type PeerState } from './download-peer.ts';
import { DEFAULT_DOWNLOAD_TUNING, type DownloadTuning } from './download-tuning.ts';
import type { DownloadSnapshot, DownloadStatus, QueuePlace } from './download-types.ts';
import { HeldPieces } from './held-pieces.ts';
import { ManifestAssembly } from './manifest-assembly.ts';
import { PiecePicker } from './piece-picker.ts';
import { describeQueue } from './queue-summary.ts';
import { SpeedMeter } from './speed-meter.ts';

export interface DownloadDeps {
  /** Asks the tracker who holds the file. */
  findHolders(fileId: string): Promise<RequestResult<string[]>>;
  /** Opens an initiator link to `peerId` about `fileId`. */
  connect(peerId: string, fileId: string): WireLink;
  /** Opens storage for the download once its manifest is known; rejects when storage refuses (no room). */
  createStore(manifest: Manifest, manifestBytes: Uint8Array): Promise<PieceStore>;
  /** Something in the snapshot changed. */
  onChange(): void;
  /** Every piece is verified: here is the file and its manifest. */
  onComplete(file: Blob, manifest: Manifest): void;
  tuning?: Partial<DownloadTuning>;
  /** Goes on with a download stored before the page reloaded. */
  resume?: ResumeState;
}

/** A download as storage kept it: its manifest, its open store and the pieces already verified there. */
export interface ResumeState {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  store: PieceStore;
  verified: Uint8Array;
  paused: boolean;
}

/**
 * One file being downloaded from a swarm: finds holders (complete or partial) through the tracker, connects to
 * several, fetches and verifies the manifest, then keeps each peer's pipeline of requests full, rarest piece first,
 * with duplicate requests for the last pieces (endgame). Every piece is verified against the manifest before it is
 * stored and served on to others. A peer that leaves or stalls has its requests re-issued elsewhere; a peer that
 * sends bad data is dropped for good. With no useful holder left, the download waits and asks the tracker again.
 * A holder with no upload slot for us queues us: it gets no requests until it serves us, and the others are asked
 * meanwhile. Nothing is handed out until every piece has verified.
 */
export class Download {
  private status: DownloadStatus = 'connecting';
  private message = 'Looking for holders…';
  private readonly peers = new Map<string, PeerState>();
  /** Peers that sent bad data; never used again for this download. */
  private readonly banned = new Set<string>();
  private readonly contributions = new Map<string, number>();
  /** Pieces received whole and being verified. */
  private readonly verifying = new Set<number>();
  private manifest: Manifest | null = null;
  private manifestBytes: Uint8Array | null = null;
  private manifestAssembly: ManifestAssembly<PeerState> | null = null;
  private picker: PiecePicker | null = null;
  private held: HeldPieces | null = null;
  private store: PieceStore | null = null;
  private completedFile: Blob | null = null;
  private verifiedBytes = 0;
  private readonly meter = new SpeedMeter();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private lookingForHolders = false;
  private lastLookup = 0;
  private readonly tuning: DownloadTuning;
  /** For the User Timing measures (`shoal:first-piece`, `shoal:download`) that benchmarks and DevTools read. */
  private readonly startedAt = performance.now();
  /** When the first peer link opened (for `shoal:transfer`, which leaves out signaling, like the raw baseline). */
  private connectedAt: number | null = null;
  /** Let go of by {@link close}: the page is going away, and the download stays in storage as it is. */
  private closed = false;
  /** Pieces that were already verified in storage when this download was resumed after a reload. */
  readonly restoredPieces: Uint8Array | null;

  constructor(
    readonly fileId: string,
    readonly size: number,
    readonly mimeType: string,
    private readonly deps: DownloadDeps,
  ) {
    this.tuning = { ...DEFAULT_DOWNLOAD_TUNING, ...deps.tuning };
    const { resume } = deps;
    this.restoredPieces = resume ? resume.verified.slice() : null;
    if (resume) {
      this.usePieces(resume.manifest, resume.manifestBytes, resume.store);
      for (let index = 0; index < pieceCount(resume.manifest); index++) {
        if (!hasBit(resume.verified, index)) continue;
        this.picker?.complete(index);
        this.held?.add(index);
        this.verifiedBytes += pieceLength(resume.manifest, index);
      }
      if (this.picker?.isComplete) {
        void this.finish();
        return;
      }
      if (resume.paused) {
        this.status = 'paused';
        this.message = 'Paused';
        return;
      }
    }
    this.start();
  }

  private start(): void {
    this.ticker = setInterval(() => this.tick(), this.tuning.tickMs);
    this.status = 'connecting';
    this.message = 'Looking for holders…';
    void this.lookForHolders();
  }

  snapshot(): DownloadSnapshot {
    const bytesPerSecond = this.status === 'downloading' ? this.meter.bytesPerSecond() : 0;
    const totalBytes = this.manifest?.size ?? this.size;
    const left = totalBytes - this.verifiedBytes;
    const sources = [...this.contributions]
      .map(([peerId, bytes]) => ({ peerId, bytes, connected: this.peers.has(peerId) }))
      .sort((a, b) => b.bytes - a.bytes);
    return {
      status: this.status,
      totalBytes,
      verifiedBytes: this.verifiedBytes,
      bytesPerSecond,
      secondsLeft: bytesPerSecond > 0 ? left / bytesPerSecond : null,
      peers: [...this.peers.values()].filter((peer) => peer.handshaken).length,
      sources,
      queue: this.queue(),
      message: this.message,
    };
  }

  /** The holders that queue us, lowest place first. */
  private queue(): QueuePlace[] {
    const queue: QueuePlace[] = [];
    for (const peer of this.peers.values())
      if (peer.queuePlace !== null) queue.push({ peerId: peer.link.remotePeerId, place: peer.queuePlace });
    return queue.sort((a, b) => a.place - b.place);
  }

  get finished(): boolean {
    return this.status === 'complete' || this.status === 'failed' || this.status === 'cancelled';
  }

  get paused(): boolean {
    return this.status === 'paused';
  }

  /** The finished file, once every piece has verified and it is assembled. */
  get file(): Blob | null {
    return this.completedFile;
  }

  /** The pieces verified so far, once the manifest is known (for announcing them to the tracker). */
  heldPieces(): HeldPieces | null {
    return this.held;
  }

  /**
   * What this download can serve to other peers: the verified pieces so far (then the whole file), or null before
   * the manifest is known or after a cancel.
   */
  source(): PieceSource | null {
    const { manifest, manifestBytes, held } = this;
    if (!manifest || !manifestBytes || !held || !this.store || this.status === 'cancelled' || this.status === 'failed')
      return null;
    return {
      id: this.fileId,
      manifest,
      manifestBytes,
      bitfield: () => (held.version === held.count ? null : held.bitfield),
      has: (index) => held.has(index),
      read: async (index) => {
        if (this.completedFile) {
          const start = index * manifest.pieceSize;
          return new Uint8Array(
            await this.completedFile.slice(start, start + pieceLength(manifest, index)).arrayBuffer(),
          );
        }
        if (!this.store) throw new Error('download storage is gone');
        return this.store.read(index);
      },
      onPiece: (listener) => held.onPiece(listener),
    };
  }

  /** Stops and frees what was downloaded, storage included. */
  cancel(): void {
    if (this.finished || this.closed) return;
    this.setStatus('cancelled', 'Cancelled');
    this.shutdown('download cancelled');
    void this.store?.remove();
  }

  /** Stops asking peers for pieces, keeping what was verified; stays paused across a reload. */
  pause(): void {
    if (this.finished || this.closed || this.paused || this.status === 'saving') return;
    this.shutdown('download paused');
    this.meter.reset();
    this.setStatus('paused', 'Paused');
    void this.store?.setPaused(true);
  }

  /** Goes on with a paused download. */
  resume(): void {
    if (!this.paused || this.closed) return;
    void this.store?.setPaused(false);
    this.start();
    this.deps.onChange();
  }

  /** Lets go of the download's storage without freeing it (the page is going away; a reload resumes it). */
  close(): void {
    if (this.finished || this.closed) return;
    this.closed = true;
    this.shutdown('page closed');
    void this.store?.close();
  }

  /** A tracker (re)connection: a waiting download looks again at once. */
  trackerOnline(): void {
    if (this.status === 'waiting' || this.status === 'connecting' || this.status === 'queued')
      void this.lookForHolders();
  }

  private setStatus(status: DownloadStatus, message: string): void {
    this.status = status;
    this.message = message;
    this.deps.onChange();
  }

  private async lookForHolders(): Promise<void> {
    if (this.finished || this.paused || this.lookingForHolders || this.status === 'saving') return;
    this.lookingForHolders = true;
    this.lastLookup = performance.now();
    try {
      const result = await this.deps.findHolders(this.fileId);
      if (this.finished || this.paused) return;
      if (result.ok) {
        let swapped = false;
        for (const peerId of result.data) {
          if (this.peers.has(peerId) || this.banned.has(peerId)) continue;
          if (this.peers.size >= this.tuning.maxPeers) {
            // Queued at every holder it talks to, and no room for another: one of them gives way (once a lookup).
            if (swapped || !this.leaveLongestQueue()) break;
            swapped = true;
          }
          this.connectTo(peerId);
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
    if (this.finished || this.paused || this.peers.size > 0 || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.lookForHolders();
    }, this.tuning.retryMs);
  }

  private connectTo(peerId: string): void {
    const peer = newPeerState(this.deps.connect(peerId, this.fileId));
    this.peers.set(peerId, peer);
    if (this.status === 'waiting' && this.picker === null) this.setStatus('connecting', 'Connecting to a holder…');
    peer.link.attach({
      open: () => {
        peer.lastActivity = performance.now();
        this.connectedAt ??= peer.lastActivity;
        const held = this.held;
        peer.link.send({
          type: 'handshake',
          version: WIRE_VERSION,
          fileId: this.fileId,
          complete: false,
          bitfield: held ? held.bitfield : new Uint8Array(0),
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
        this.onHave(peer, frame.index);
        break;
      case 'queued':
        this.onQueued(peer, frame.place);
        break;
      case 'serving':
        this.onServing(peer);
        break;
      default:
        // Requests, cancels and repeated handshakes are for the serving side of a link, not this one.
        break;
    }
  }

  private onHandshake(peer: PeerState, complete: boolean, bitfield: Uint8Array): void {
    if (!complete && this.manifest && !fitsPieceCount(bitfield, pieceCount(this.manifest))) {
      this.drop(peer, 'bitfield does not fit the file', true);
      return;
    }
    peer.handshaken = true;
    // Before the manifest is known a partial peer's bitfield cannot be checked; it is checked once it is.
    peer.bitfield = complete ? null : new Uint8Array(bitfield);
    if (this.manifest) {
      this.picker?.addPeer(peer.bitfield);
      if (this.status === 'connecting') this.setStatus('downloading', 'Downloading');
      this.fill(peer);
    } else if (!this.manifestAssembly) {
      this.requestManifest(peer);
    }
    this.deps.onChange();
  }

  private requestManifest(peer: PeerState): void {
    this.manifestAssembly = new ManifestAssembly(peer);
    peer.link.send({ type: 'manifestRequest' });
  }

  private onManifestChunk(peer: PeerState, totalLength: number, offset: number, data: Uint8Array): void {
    const assembly = this.manifestAssembly;
    if (!assembly || assembly.from !== peer || this.manifest) return;
    let bytes: Uint8Array | null;
    try {
      bytes = assembly.add(totalLength, offset, data);
    } catch (error) {
      this.drop(peer, (error as Error).message, true);
      return;
    }
    if (bytes) void this.acceptManifest(peer, bytes);
  }

  private async acceptManifest(peer: PeerState, bytes: Uint8Array): Promise<void> {
    let manifest: Manifest;
    try {
      manifest = await verifyManifest(bytes, this.fileId);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      this.manifestAssembly = null;
      this.drop(peer, `sent a bad manifest: ${error.message}`, true);
      this.askAnotherForManifest();
      return;
    }
    if (this.finished || this.manifest) return;
    this.manifest = manifest;
    this.manifestBytes = bytes;
    this.manifestAssembly = null;
    let store: PieceStore;
    try {
      store = await this.deps.createStore(manifest, bytes);
    } catch (error) {
      this.setStatus(
        'failed',
        `Could not store the download: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.shutdown('download failed');
      return;
    }
    if (this.finished) {
      void store.remove();
      return;
    }
    this.usePieces(manifest, bytes, store);
    if (this.paused) return;
    this.setStatus('downloading', 'Downloading');
    if (this.picker?.isComplete) {
      void this.finish();
      return;
    }
    for (const other of this.peers.values()) this.fill(other);
  }

  /** The manifest is known and storage is open: pieces can be picked, from every peer handshaken so far. */
  private usePieces(manifest: Manifest, bytes: Uint8Array, store: PieceStore): void {
    const count = pieceCount(manifest);
    this.manifest = manifest;
    this.manifestBytes = bytes;
    this.store = store;
    this.picker = new PiecePicker(count);
    this.held = new HeldPieces(count);
    for (const other of [...this.peers.values()]) {
      if (!other.handshaken) continue;
      if (other.bitfield && !fitsPieceCount(other.bitfield, count))
        this.drop(other, 'bitfield does not fit the file', true);
      else this.picker.addPeer(other.bitfield);
    }
  }

  private askAnotherForManifest(): void {
    if (this.manifest || this.manifestAssembly) return;
    const next = [...this.peers.values()].find((peer) => peer.handshaken && peer.link.isOpen);
    if (next) this.requestManifest(next);
  }

  /** Tops up the peer's pipeline of requests. */
  private fill(peer: PeerState): void {
    const { picker, manifest } = this;
    if (!picker || !manifest || !peer.handshaken || !peer.link.isOpen || this.status === 'saving' || this.paused)
      return;
    if (peer.queuePlace !== null) return;
    const depth = pipelineFor(peer, manifest.pieceSize, this.tuning);
    while (peer.inFlight.size < depth) {
      const index = picker.next(
        (i) => peerHas(peer, i),
        // A piece being verified has arrived: asking anyone for it again (in the endgame) would be a wasted fetch.
        (i) => peer.inFlight.has(i) || this.verifying.has(i),
        // A run starts at random (so downloaders of one file hold different pieces), then goes on in order.
        peer.lastRequested < 0 ? -1 : peer.lastRequested + 1,
      );
      if (index === null) return;
      peer.lastRequested = index;
      peer.inFlight.set(index, { length: pieceLength(manifest, index), parts: [], received: 0 });
      peer.link.send({ type: 'request', index });
    }
  }

  private onPieceChunk(peer: PeerState, index: number, offset: number, data: Uint8Array): void {
    const pending = peer.inFlight.get(index);
    // Chunks of a piece we cancelled or never asked this peer for can still be in flight: ignore them.
    if (!pending) return;
    if (offset !== pending.received || offset + data.length > pending.length) {
      this.drop(peer, 'piece data out of order or too long', true);
      return;
    }
    pending.parts.push(data);
    pending.received += data.length;
    peer.meter.record(data.length);
    if (pending.received < pending.length) return;
    peer.inFlight.delete(index);
    this.verifying.add(index);
    this.fill(peer);
    void this.acceptPiece(peer, index, pending.parts, pending.length).finally(() => this.verifying.delete(index));
  }

  private async acceptPiece(peer: PeerState, index: number, parts: Uint8Array[], length: number): Promise<void> {
    const { manifest, picker, store, held } = this;
    if (!manifest || !picker || !store || !held) return;
    // The store verifies against the manifest (off the main thread) and stores the piece if it matches.
    let ok: boolean;
    try {
      ok = await store.verifyAndWrite(index, parts);
    } catch (error) {
      // Storage failed (full, or gone): the peer is not to blame, and no other piece will fare better.
      if (this.finished || this.closed || this.paused) return;
      picker.release(index);
      this.setStatus(
        'failed',
        `Could not store the download: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.shutdown('download failed');
      return;
    }
    if (!ok) {
      if (this.finished) return;
      picker.release(index);
      peer.badPieces++;
      if (peer.badPieces >= this.tuning.maxBadPieces) this.drop(peer, 'sent pieces that failed verification', true);
      else this.fill(peer);
      for (const other of this.peers.values()) if (other !== peer) this.fill(other);
      return;
    }
    if (this.finished || !picker.complete(index)) return;
    if (this.verifiedBytes === 0) {
      performance.measure('shoal:first-piece', { start: this.startedAt, detail: { fileId: this.fileId } });
    }
    this.verifiedBytes += length;
    this.meter.record(length);
    const from = peer.link.remotePeerId;
    this.contributions.set(from, (this.contributions.get(from) ?? 0) + length);
    held.add(index);
    this.cancelDuplicates(index);
    this.deps.onChange();
    if (picker.isComplete) void this.finish();
  }

  /** Endgame: the piece arrived, so other peers still sending it are told to stop. */
  private cancelDuplicates(index: number): void {
    for (const other of this.peers.values()) {
      if (!other.inFlight.delete(index)) continue;
      other.link.send({ type: 'cancel', index });
      this.fill(other);
    }
  }

  private onHave(peer: PeerState, index: number): void {
    if (!peer.bitfield || !this.manifest || index >= pieceCount(this.manifest) || hasBit(peer.bitfield, index)) return;
    setBit(peer.bitfield, index);
    this.picker?.peerGained(index);
    this.fill(peer);
  }

  private onReject(peer: PeerState, index: number, reason: number): void {
    if (!peer.inFlight.delete(index)) return;
    this.picker?.release(index);
    if (reason === RejectReason.notAvailable && peer.bitfield && hasBit(peer.bitfield, index)) {
      clearBit(peer.bitfield, index);
      this.picker?.peerLost(index);
    }
    for (const other of this.peers.values()) if (other !== peer) this.fill(other);
    // A busy peer gets asked again on the next tick rather than in a tight loop.
  }

  /**
   * The holder has no upload slot for us: it dropped what we asked (and sends nothing more of it), so those pieces go
   * to the other peers, and this one is asked for nothing until it says it serves us. Not held against it.
   */
  private onQueued(peer: PeerState, place: number): void {
    peer.queuePlace = place;
    if (peer.inFlight.size > 0) {
      for (const index of peer.inFlight.keys()) this.picker?.release(index);
      peer.inFlight.clear();
      for (const other of this.peers.values()) if (other !== peer) this.fill(other);
    }
    this.updateAvailability();
    this.deps.onChange();
  }

  /**
   * While nothing flows because every connected holder has us in its queue, leaves the holder with us furthest back,
   * to make room for another one the tracker knows (which may have a free slot); true if one was left. Not held
   * against it: it may be asked again later.
   */
  private leaveLongestQueue(): boolean {
    if (this.status !== 'queued') return false;
    let furthest: PeerState | null = null;
    for (const peer of this.peers.values()) {
      if (peer.queuePlace === null) return false;
      if (furthest === null || peer.queuePlace > (furthest.queuePlace as number)) furthest = peer;
    }
    furthest?.link.close(`queued there at place ${furthest.queuePlace}; trying another holder`);
    return furthest !== null;
  }

  private onServing(peer: PeerState): void {
    if (peer.queuePlace === null) return;
    peer.queuePlace = null;
    this.fill(peer);
    this.updateAvailability();
    this.deps.onChange();
  }

  private onPeerClosed(peer: PeerState, reason: string): void {
    if (this.peers.get(peer.link.remotePeerId) !== peer) return;
    this.peers.delete(peer.link.remotePeerId);
    for (const index of peer.inFlight.keys()) this.picker?.release(index);
    peer.inFlight.clear();
    if (peer.handshaken && this.manifest) this.picker?.removePeer(peer.bitfield);
    if (this.finished || this.status === 'saving') return;
    if (this.manifestAssembly?.from === peer) {
      this.manifestAssembly = null;
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

  /** Waiting, queued or downloading, from what the connected peers can give. */
  private updateAvailability(): void {
    const { picker, manifest } = this;
    if (!picker || !manifest || this.peers.size === 0 || this.status === 'saving' || this.paused) return;
    const busy = [...this.peers.values()].some((peer) => peer.inFlight.size > 0);
    const unavailable = picker.unavailable();
    const queue = this.queue();
    if (!busy && queue.length > 0) {
      const message = describeQueue(queue);
      if (this.status !== 'queued' || this.message !== message) this.setStatus('queued', message);
    } else if (this.status === 'queued' && (busy || unavailable === 0)) {
      this.setStatus('downloading', 'Downloading');
    } else if (!busy && unavailable > 0) {
      const percent = Math.max(1, Math.round((unavailable / pieceCount(manifest)) * 100));
      this.setStatus(
        'waiting',
        `${percent} % of the file is not held by any connected peer. Waiting for a holder of it…`,
      );
    } else if (this.status === 'waiting' && busy) {
      this.setStatus('downloading', 'Downloading');
    }
  }

  private tick(): void {
    if (this.finished || this.paused || this.status === 'saving') return;
    const now = performance.now();
    for (const peer of [...this.peers.values()]) {
      const waitingForData = !peer.handshaken || peer.inFlight.size > 0 || this.manifestAssembly?.from === peer;
      if (waitingForData && now - peer.lastActivity > this.tuning.stallMs) this.drop(peer, 'the peer stalled');
      else this.fill(peer);
    }
    this.updateAvailability();
    const stuck = this.status === 'waiting' || this.status === 'queued';
    const wantMore = stuck || this.peers.size < this.tuning.maxPeers;
    const every = stuck ? this.tuning.retryMs : this.tuning.moreHoldersEveryMs;
    if (wantMore && this.peers.size > 0 && now - this.lastLookup > every) void this.lookForHolders();
    this.deps.onChange();
  }

  private async finish(): Promise<void> {
    const { manifest, store } = this;
    if (!manifest || !store || this.status === 'saving' || this.finished) return;
    this.setStatus('saving', 'Saving…');
    this.shutdown('download complete');
    try {
      const file = await store.finish(this.mimeType);
      if (file.size !== manifest.size) throw new Error(`assembled ${file.size} bytes, expected ${manifest.size}`);
      this.completedFile = file;
      const detail = { fileId: this.fileId, bytes: file.size };
      performance.measure('shoal:download', { start: this.startedAt, detail });
      performance.measure('shoal:transfer', { start: this.connectedAt ?? this.startedAt, detail });
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
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    // Forget the peers before closing them, so their close events are not taken for holders leaving.
    const peers = [...this.peers.values()];
    this.peers.clear();
    for (const peer of peers) peer.link.close(reason);
  }
}
