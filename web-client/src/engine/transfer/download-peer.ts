import { hasBit } from '@shoal/common';
import type { WireLink } from '../peer/wire-link.ts';
import type { DownloadTuning } from './download-tuning.ts';
import { SpeedMeter } from './speed-meter.ts';

export interface PendingPiece {
  /** Expected length of the piece. */
  length: number;
  /** The chunks received so far, kept as they arrived (views into their messages) until the store joins them. */
  parts: Uint8Array[];
  received: number;
}

export interface PeerState {
  link: WireLink;
  handshaken: boolean;
  /** Pieces the peer holds; null means all of them. */
  bitfield: Uint8Array | null;
  inFlight: Map<number, PendingPiece>;
  badPieces: number;
  lastActivity: number;
  meter: SpeedMeter;
  /** Our place in the peer's upload queue while it has no slot for us (it gets no requests then), else null. */
  queuePlace: number | null;
  /** The piece last asked of the peer (-1 before the first): the picker prefers the one after it. */
  lastRequested: number;
}

/** The state of a newly opened link to a holder. */
export function newPeerState(link: WireLink): PeerState {
  return {
    link,
    handshaken: false,
    bitfield: null,
    inFlight: new Map(),
    badPieces: 0,
    lastActivity: performance.now(),
    meter: new SpeedMeter(),
    queuePlace: null,
    lastRequested: -1,
  };
}

/** Whether the peer holds piece `index` (as far as its handshake and `have`s tell). */
export function peerHas(peer: PeerState, index: number): boolean {
  return peer.bitfield === null || hasBit(peer.bitfield, index);
}

/** Requests to keep outstanding with this peer: about `pipelineSeconds` of its measured speed. */
export function pipelineFor(peer: PeerState, pieceSize: number, tuning: DownloadTuning): number {
  const wanted = Math.ceil((peer.meter.bytesPerSecond() * tuning.pipelineSeconds) / pieceSize) + 1;
  return Math.min(tuning.maxPipeline, Math.max(tuning.minPipeline, wanted));
}
