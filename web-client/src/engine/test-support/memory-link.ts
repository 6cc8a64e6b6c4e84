import { WIRE_CHUNK_SIZE, decodeFrame, encodeFrame, type Frame } from '@shoal/common';
import type { WireLink, WireLinkHandlers } from '../peer/wire-link.ts';

/**
 * An in-memory link for tests: frames go through the real codec and arrive asynchronously, in order, like a
 * reliable ordered data channel. `tamper` may rewrite the encoded bytes a side sends (to play a hostile peer).
 */
export class MemoryLink implements WireLink {
  peer: MemoryLink | null = null;
  /** Rewrites (or, returning null, swallows) what this side sends. */
  tamper: ((bytes: Uint8Array) => Uint8Array | null) | null = null;
  readonly sent: Frame[] = [];
  private handlers: WireLinkHandlers | null = null;
  private opened = false;
  private closed = false;
  closeReason: string | null = null;

  constructor(
    readonly remotePeerId: string,
    readonly fileId: string,
  ) {}

  get isOpen(): boolean {
    return this.opened && !this.closed;
  }

  readonly writable = true;
  readonly chunkSize = WIRE_CHUNK_SIZE;

  attach(handlers: WireLinkHandlers): void {
    this.handlers = handlers;
    if (this.opened) handlers.open();
  }

  whenWritable(): Promise<void> {
    return Promise.resolve();
  }

  open(): void {
    this.opened = true;
    this.handlers?.open();
  }

  send(frame: Frame): void {
    if (!this.isOpen) return;
    this.sent.push(frame);
    const encoded = encodeFrame(frame);
    const delivered = this.tamper ? this.tamper(encoded) : encoded;
    if (delivered) this.sendRaw(delivered);
  }

  /** Delivers raw bytes to the other side, as a hostile peer could. */
  sendRaw(bytes: Uint8Array): void {
    const peer = this.peer;
    setTimeout(() => peer?.receive(bytes), 0);
  }

  private receive(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      this.close(`protocol violation: ${(error as Error).message}`);
      return;
    }
    this.handlers?.frame(frame);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.handlers?.close(reason);
    const peer = this.peer;
    setTimeout(() => peer?.close('the peer closed the connection'), 0);
  }
}

/** Two connected links: `a` on the downloader's side (remote = holder), `b` on the holder's side. */
export function memoryLinkPair(downloaderId: string, holderId: string, fileId: string): [MemoryLink, MemoryLink] {
  const a = new MemoryLink(holderId, fileId);
  const b = new MemoryLink(downloaderId, fileId);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
