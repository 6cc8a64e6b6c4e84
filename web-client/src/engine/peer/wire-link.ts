import type { Frame } from '@shoal/common';

/** What a session does with a link's events. */
export interface WireLinkHandlers {
  open(): void;
  frame(frame: Frame): void;
  /** Called once, whatever ended the link. */
  close(reason: string): void;
}

/**
 * A connection to one peer about one file, carrying decoded peer-wire frames. Sessions (uploads, downloads) depend on
 * this interface, not on WebRTC, so they can be tested with an in-memory pair of links.
 */
export interface WireLink {
  readonly remotePeerId: string;
  readonly fileId: string;
  readonly isOpen: boolean;
  /** Largest payload to put in one piece or manifest frame on this link (fits the peer's message size limit). */
  readonly chunkSize: number;
  /** Whether the send buffer has room for more bulk data. */
  readonly writable: boolean;
  attach(handlers: WireLinkHandlers): void;
  /** Resolves when the send buffer has room, or at once when the link is closed. */
  whenWritable(): Promise<void>;
  send(frame: Frame): void;
  close(reason: string): void;
}
