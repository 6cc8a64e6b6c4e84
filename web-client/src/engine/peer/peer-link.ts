import Peer from '@thaunknown/simple-peer/lite.js';
import type { WireLink, WireLinkHandlers } from './wire-link.ts';
import {
  KiB,
  WIRE_CHUNK_SIZE,
  WIRE_FRAME_OVERHEAD,
  WireError,
  decodeFrame,
  encodeFrame,
  sendPieceFrame,
  type Frame,
  type IceServer,
  type SignalData,
} from '@shoal/common';
import { SEND_BUFFER_HIGH_WATER as HIGH_WATER, SEND_BUFFER_LOW_WATER as LOW_WATER } from './flow-control.ts';

/** A connection that is not open by then is abandoned. */
const CONNECT_TIMEOUT_MS = 15_000;

export interface PeerLinkOptions {
  initiator: boolean;
  remotePeerId: string;
  fileId: string;
  connectionId: string;
  iceServers: IceServer[];
  /** Sends signaling data to the remote peer through the tracker. */
  sendSignal: (signal: SignalData) => void;
}

/**
 * One WebRTC data channel to one peer about one file, speaking peer-wire frames. Every incoming message goes through
 * the codec; a malformed frame ends the link. File data goes through `send()` with our own flow control, not through
 * simple-peer's stream `write()` (which caps its buffer at 64 KiB).
 */
export class PeerLink implements WireLink {
  readonly remotePeerId: string;
  readonly fileId: string;
  readonly connectionId: string;
  private readonly peer: Peer;
  private handlers: WireLinkHandlers | null = null;
  private closed = false;
  private writableWaiters: (() => void)[] = [];
  private readonly closeListeners: ((reason: string) => void)[] = [];
  /**
   * Messages that arrived before our side saw 'connect'. The answering side's channel can deliver the initiator's
   * first frame before simple-peer declares it connected; its reply would be dropped, so frames wait until then.
   */
  private early: Uint8Array[] | null = [];
  /** One buffer reused for the piece frames whose chunk must be copied (the channel copies what it is given). */
  private pieceScratch: Uint8Array | null = null;
  private readonly scratch = () => (this.pieceScratch ??= new Uint8Array(WIRE_CHUNK_SIZE + WIRE_FRAME_OVERHEAD));
  private readonly sendBytes = (bytes: Uint8Array) => this.peer.send(bytes);
  private readonly connectTimer: ReturnType<typeof setTimeout>;

  constructor(options: PeerLinkOptions) {
    this.remotePeerId = options.remotePeerId;
    this.fileId = options.fileId;
    this.connectionId = options.connectionId;
    this.peer = new Peer({
      initiator: options.initiator,
      trickle: true,
      config: { iceServers: options.iceServers },
      channelConfig: { ordered: true },
    });
    this.peer.on('signal', (data) => options.sendSignal(data as SignalData));
    this.peer.on('connect', () => this.onConnect());
    this.peer.on('data', (data) => this.onData(data));
    this.peer.on('close', () => this.close('the peer closed the connection'));
    // When the remote side closes the channel, simple-peer's lite build tears itself down and emits 'end' and
    // 'disconnect' but never 'close': without these, a holder would keep serving (and counting) a downloader gone.
    this.peer.on('end', () => this.close('the peer closed the connection'));
    this.peer.on('disconnect', () => this.close('the peer closed the connection'));
    this.peer.on('error', (error) => this.close(`connection error: ${error.code ?? error.message}`));
    this.connectTimer = setTimeout(() => this.close('the peer did not connect in time'), CONNECT_TIMEOUT_MS);
  }

  /** Attaches the session that handles this link's frames. */
  attach(handlers: WireLinkHandlers): void {
    this.handlers = handlers;
    if (this.peer.connected) handlers.open();
  }

  /** Adds a listener for the end of the link (for owners other than the session, such as the signal router). */
  onClose(listener: (reason: string) => void): void {
    if (this.closed) listener('already closed');
    else this.closeListeners.push(listener);
  }

  /** Feeds signaling data relayed from the remote peer. */
  signal(data: SignalData): void {
    if (!this.closed) this.peer.signal(data);
  }

  get isOpen(): boolean {
    return !this.closed && this.peer.connected;
  }

  /** The largest payload per frame: Shoal's chunk size, or less if the peer's SCTP message limit is lower. */
  get chunkSize(): number {
    const limit = this.peer._pc?.sctp?.maxMessageSize;
    return limit && Number.isFinite(limit) ? Math.min(WIRE_CHUNK_SIZE, limit - WIRE_FRAME_OVERHEAD) : 64 * KiB;
  }

  /** Whether the send buffer has room; callers with bulk data await {@link whenWritable} otherwise. */
  get writable(): boolean {
    return (this.peer._channel?.bufferedAmount ?? 0) < HIGH_WATER;
  }

  /** Resolves when the send buffer has room (or at once if the link is closed, so loops can notice). */
  whenWritable(): Promise<void> {
    if (this.writable || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /** Sends one frame; ignored once the link is closed. */
  send(frame: Frame): void {
    if (!this.isOpen) return;
    try {
      if (frame.type === 'piece') {
        sendPieceFrame(frame, this.scratch, this.sendBytes);
      } else {
        this.peer.send(encodeFrame(frame));
      }
    } catch (error) {
      this.close(`send failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.connectTimer);
    this.peer.destroy();
    this.releaseWriters();
    this.handlers?.close(reason);
    for (const listener of this.closeListeners) listener(reason);
  }

  private onConnect(): void {
    clearTimeout(this.connectTimer);
    const channel = this.peer._channel;
    if (channel) {
      channel.bufferedAmountLowThreshold = LOW_WATER;
      channel.addEventListener('bufferedamountlow', () => this.releaseWriters());
    }
    this.handlers?.open();
    const early = this.early ?? [];
    this.early = null;
    for (const data of early) this.onData(data);
  }

  private releaseWriters(): void {
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private onData(data: Uint8Array): void {
    if (this.closed) return;
    if (this.early) {
      this.early.push(data);
      return;
    }
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      this.close(`protocol violation: ${error.message}`);
      return;
    }
    this.handlers?.frame(frame);
  }
}
