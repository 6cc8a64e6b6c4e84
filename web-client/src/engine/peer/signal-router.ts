import type { IceServer, IncomingSignal, SignalData, SignalFailure } from '@shoal/common';
import { PeerLink } from './peer-link.ts';

/** Incoming connections accepted at once (uploads); further offers are ignored until some close. */
const MAX_INCOMING_LINKS = 32;

export interface SignalRouterDeps {
  iceServers(): IceServer[];
  /** Sends signaling data through the tracker; `false` when it could not be sent (offline). */
  relay(to: string, fileId: string, connectionId: string, signal: SignalData): boolean;
  /** Whether an offer for this file should be answered (the page shares it). */
  accepts(fileId: string): boolean;
  /** A new incoming link was created for an accepted offer. */
  incoming(link: PeerLink): void;
}

function randomConnectionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Routes signaling between the tracker and this page's peer links. A link is known by the remote peer id (set by the
 * tracker, so it cannot be forged) and the connection id, so one peer cannot inject signals into another's link.
 */
export class SignalRouter {
  private readonly links = new Map<string, PeerLink>();
  private incomingCount = 0;

  constructor(private readonly deps: SignalRouterDeps) {}

  /** Opens a link to `peerId` about `fileId`, as the initiator. */
  connect(peerId: string, fileId: string): PeerLink {
    return this.createLink(true, peerId, fileId, randomConnectionId());
  }

  /** Handles signaling data relayed by the tracker. */
  receive(incoming: IncomingSignal): void {
    const link = this.links.get(this.key(incoming.from, incoming.connectionId));
    if (link) {
      if (link.fileId === incoming.fileId) link.signal(incoming.signal);
      return;
    }
    const isOffer = 'type' in incoming.signal && incoming.signal.type === 'offer';
    if (!isOffer || this.incomingCount >= MAX_INCOMING_LINKS || !this.deps.accepts(incoming.fileId)) return;
    const created = this.createLink(false, incoming.from, incoming.fileId, incoming.connectionId);
    this.incomingCount++;
    created.onClose(() => this.incomingCount--);
    this.deps.incoming(created);
    created.signal(incoming.signal);
  }

  /**
   * The tracker could not deliver a signal: the link it belongs to gives up, unless the signal was only refused for
   * coming too fast (the link's own timeout decides then, as when a signal is lost).
   */
  failed(failure: SignalFailure): void {
    if (failure.error.code === 'RATE_LIMITED') return;
    this.links.get(this.key(failure.to, failure.connectionId))?.close(`signaling failed: ${failure.error.message}`);
  }

  private key(peerId: string, connectionId: string): string {
    return `${peerId}|${connectionId}`;
  }

  private createLink(initiator: boolean, peerId: string, fileId: string, connectionId: string): PeerLink {
    const key = this.key(peerId, connectionId);
    const link: PeerLink = new PeerLink({
      initiator,
      remotePeerId: peerId,
      fileId,
      connectionId,
      iceServers: this.deps.iceServers(),
      sendSignal: (signal) => {
        if (!this.deps.relay(peerId, fileId, connectionId, signal)) link.close('signaling failed: tracker offline');
      },
    });
    this.links.set(key, link);
    link.onClose(() => this.links.delete(key));
    return link;
  }
}
