import { fromHex, toHex } from './hex.ts';
import { HASH_LENGTH } from './manifest.ts';
import { MAX_MANIFEST_BYTES, MAX_PIECE_COUNT, MAX_PIECE_SIZE, MAX_WIRE_CHUNK } from './limits.ts';

/**
 * The peer wire: compact binary frames exchanged over a WebRTC data channel, one frame per message, big-endian.
 * Every frame from a peer goes through {@link decodeFrame}, which bounds-checks it completely or throws; a frame is
 * never half-applied.
 */

/**
 * Version of the peer wire, sent in the handshake; peers of another version end the connection at once. Version 2
 * added the `queued` and `serving` frames (upload slots), which a version-1 peer would take for a protocol violation.
 */
export const WIRE_VERSION = 2;

/** Frame type tags (the first byte of every frame). */
export const FrameType = {
  handshake: 0x01,
  manifestRequest: 0x02,
  manifest: 0x03,
  have: 0x04,
  request: 0x05,
  piece: 0x06,
  cancel: 0x07,
  reject: 0x08,
  queued: 0x09,
  serving: 0x0a,
} as const;

/** Highest queue place a `queued` frame can carry (a u16; place 1 is next in line). */
export const MAX_QUEUE_PLACE = 0xffff;

/** Why a holder refused a request. */
export const RejectReason = {
  /** The holder does not have that piece (or no longer shares the file). */
  notAvailable: 1,
  /** The holder is busy; ask again later or elsewhere. */
  busy: 2,
} as const;

/** Opens a connection: which file it is about and which pieces the sender holds. */
export interface HandshakeFrame {
  type: 'handshake';
  version: number;
  /** File id, lower-case hex. */
  fileId: string;
  /** Whether the sender holds every piece (then `bitfield` is empty). */
  complete: boolean;
  /** Pieces held, bit i (most significant bit first) for piece i; empty when complete or unknown. */
  bitfield: Uint8Array;
}
/** Asks for the manifest. */
export interface ManifestRequestFrame {
  type: 'manifestRequest';
}
/** A slice of the manifest's canonical encoding. */
export interface ManifestFrame {
  type: 'manifest';
  totalLength: number;
  offset: number;
  data: Uint8Array;
}
/** The sender has verified piece `index`. */
export interface HaveFrame {
  type: 'have';
  index: number;
}
/** Asks for the whole of piece `index`. */
export interface RequestFrame {
  type: 'request';
  index: number;
}
/**
 * Bytes of piece `index` starting at `offset` within the piece. The decoder bounds the chunk by the largest piece
 * size; the receiver still checks it against the actual length of piece `index`.
 */
export interface PieceFrame {
  type: 'piece';
  index: number;
  offset: number;
  data: Uint8Array;
}
/** The requester no longer wants piece `index`. */
export interface CancelFrame {
  type: 'cancel';
  index: number;
}
/** The holder will not send piece `index`. */
export interface RejectFrame {
  type: 'reject';
  index: number;
  reason: number;
}

/**
 * Holder to downloader: every upload slot is taken and the downloader waits in the holder's queue at `place` (1 is
 * next). Sent again whenever the place changes. Until `serving`, the downloader sends no requests; requests already
 * sent are dropped unanswered, and the downloader forgets them when this frame arrives (it comes after the last chunk
 * the holder sends it).
 */
export interface QueuedFrame {
  type: 'queued';
  place: number;
}
/** Holder to a downloader it had queued: it has an upload slot now, and its requests are served again. */
export interface ServingFrame {
  type: 'serving';
}

/** Any peer-wire frame. */
export type Frame =
  | HandshakeFrame
  | ManifestRequestFrame
  | ManifestFrame
  | HaveFrame
  | RequestFrame
  | PieceFrame
  | CancelFrame
  | RejectFrame
  | QueuedFrame
  | ServingFrame;

/** A frame that is malformed, truncated, oversized or of an unknown type. */
export class WireError extends Error {
  override name = 'WireError';
}

const MAX_BITFIELD_BYTES = MAX_PIECE_COUNT / 8;

function frame(type: number, bodyLength: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(1 + bodyLength);
  bytes[0] = type;
  return { bytes, view: new DataView(bytes.buffer) };
}

function indexFrame(type: number, index: number): Uint8Array {
  const { bytes, view } = frame(type, 4);
  view.setUint32(1, index);
  return bytes;
}

/** Encodes one frame. */
export function encodeFrame(f: Frame): Uint8Array {
  switch (f.type) {
    case 'handshake': {
      const { bytes, view } = frame(FrameType.handshake, 1 + HASH_LENGTH + 1 + 4 + f.bitfield.length);
      view.setUint8(1, f.version);
      bytes.set(fromHex(f.fileId), 2);
      view.setUint8(2 + HASH_LENGTH, f.complete ? 1 : 0);
      view.setUint32(3 + HASH_LENGTH, f.bitfield.length);
      bytes.set(f.bitfield, 7 + HASH_LENGTH);
      return bytes;
    }
    case 'manifestRequest':
      return frame(FrameType.manifestRequest, 0).bytes;
    case 'manifest': {
      const { bytes, view } = frame(FrameType.manifest, 8 + f.data.length);
      view.setUint32(1, f.totalLength);
      view.setUint32(5, f.offset);
      bytes.set(f.data, 9);
      return bytes;
    }
    case 'piece': {
      const { bytes, view } = frame(FrameType.piece, 8 + f.data.length);
      view.setUint32(1, f.index);
      view.setUint32(5, f.offset);
      bytes.set(f.data, 9);
      return bytes;
    }
    case 'have':
      return indexFrame(FrameType.have, f.index);
    case 'request':
      return indexFrame(FrameType.request, f.index);
    case 'cancel':
      return indexFrame(FrameType.cancel, f.index);
    case 'reject': {
      const { bytes, view } = frame(FrameType.reject, 5);
      view.setUint32(1, f.index);
      view.setUint8(5, f.reason);
      return bytes;
    }
    case 'queued': {
      if (!Number.isInteger(f.place) || f.place < 1 || f.place > MAX_QUEUE_PLACE)
        throw new RangeError(`queue place ${f.place} out of range`);
      const { bytes, view } = frame(FrameType.queued, 2);
      view.setUint16(1, f.place);
      return bytes;
    }
    case 'serving':
      return frame(FrameType.serving, 0).bytes;
  }
}

/** The bytes before a piece frame's chunk: type, index, offset. */
const PIECE_HEADER_LENGTH = 9;

function writePieceHeader(bytes: Uint8Array, frame: PieceFrame): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, PIECE_HEADER_LENGTH);
  view.setUint8(0, FrameType.piece);
  view.setUint32(1, frame.index);
  view.setUint32(5, frame.offset);
}

/**
 * Encodes a piece frame into `scratch` and returns the view holding it: senders that hand the bytes to a channel
 * which copies them at once (RTCDataChannel.send does) can reuse one buffer instead of allocating one per frame.
 */
export function encodePieceFrameInto(scratch: Uint8Array, frame: PieceFrame): Uint8Array {
  const length = PIECE_HEADER_LENGTH + frame.data.length;
  if (scratch.length < length) throw new RangeError('scratch buffer too small for this piece frame');
  writePieceHeader(scratch, frame);
  scratch.set(frame.data, PIECE_HEADER_LENGTH);
  return scratch.subarray(0, length);
}

/** The bytes a piece frame's header displaces in {@link sendPieceFrame}, kept to be put back. */
const displaced = new Uint8Array(PIECE_HEADER_LENGTH);

/**
 * Hands the encoded piece frame to `send`, which must copy it before it returns (RTCDataChannel.send does), and
 * mostly without copying the chunk: when its own buffer has room before it (a holder's chunks are views of long reads
 * of the file), the header is written over those bytes for the call and they are put back after it, whatever `send`
 * did. Only a chunk at the start of its buffer is copied, into `scratch`. In a CPU profile of a 128 MiB download the
 * copy of every chunk took 125 ms of the holder's main thread; sending in place, 43 ms (most of it the few copies
 * left).
 */
export function sendPieceFrame(frame: PieceFrame, scratch: () => Uint8Array, send: (bytes: Uint8Array) => void): void {
  const { data } = frame;
  if (data.byteOffset < PIECE_HEADER_LENGTH) {
    send(encodePieceFrameInto(scratch(), frame));
    return;
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset - PIECE_HEADER_LENGTH, PIECE_HEADER_LENGTH + data.length);
  displaced.set(bytes.subarray(0, PIECE_HEADER_LENGTH));
  writePieceHeader(bytes, frame);
  try {
    send(bytes);
  } finally {
    bytes.set(displaced);
  }
}

function expectLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) throw new WireError(`${what} frame must be ${length} bytes, got ${bytes.length}`);
}

function expectIndex(index: number): number {
  if (index >= MAX_PIECE_COUNT) throw new WireError(`piece index ${index} out of range`);
  return index;
}

/**
 * Decodes one frame received from a peer. Throws a {@link WireError} unless the whole frame is well-formed and
 * within limits. Byte payloads are views into `bytes` (no copy).
 */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length === 0) throw new WireError('empty frame');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (bytes[0]) {
    case FrameType.handshake: {
      const fixed = 1 + 1 + HASH_LENGTH + 1 + 4;
      if (bytes.length < fixed) throw new WireError('handshake frame truncated');
      const flags = view.getUint8(2 + HASH_LENGTH);
      if (flags > 1) throw new WireError('handshake has unknown flags');
      const bitfieldLength = view.getUint32(3 + HASH_LENGTH);
      if (bitfieldLength > MAX_BITFIELD_BYTES) throw new WireError('handshake bitfield too long');
      expectLength(bytes, fixed + bitfieldLength, 'handshake');
      return {
        type: 'handshake',
        version: view.getUint8(1),
        fileId: toHex(bytes.subarray(2, 2 + HASH_LENGTH)),
        complete: flags === 1,
        bitfield: bytes.subarray(fixed),
      };
    }
    case FrameType.manifestRequest:
      expectLength(bytes, 1, 'manifest request');
      return { type: 'manifestRequest' };
    case FrameType.manifest: {
      if (bytes.length < 9) throw new WireError('manifest frame truncated');
      const totalLength = view.getUint32(1);
      const offset = view.getUint32(5);
      const data = bytes.subarray(9);
      if (totalLength > MAX_MANIFEST_BYTES) throw new WireError('manifest too large');
      if (data.length > MAX_WIRE_CHUNK) throw new WireError('manifest chunk too large');
      if (offset + data.length > totalLength) throw new WireError('manifest chunk beyond the manifest');
      return { type: 'manifest', totalLength, offset, data };
    }
    case FrameType.piece: {
      if (bytes.length < 9) throw new WireError('piece frame truncated');
      const data = bytes.subarray(9);
      if (data.length === 0) throw new WireError('empty piece chunk');
      if (data.length > MAX_WIRE_CHUNK) throw new WireError('piece chunk too large');
      const offset = view.getUint32(5);
      if (offset + data.length > MAX_PIECE_SIZE) throw new WireError('piece chunk beyond the largest piece');
      return { type: 'piece', index: expectIndex(view.getUint32(1)), offset, data };
    }
    case FrameType.have:
      expectLength(bytes, 5, 'have');
      return { type: 'have', index: expectIndex(view.getUint32(1)) };
    case FrameType.request:
      expectLength(bytes, 5, 'request');
      return { type: 'request', index: expectIndex(view.getUint32(1)) };
    case FrameType.cancel:
      expectLength(bytes, 5, 'cancel');
      return { type: 'cancel', index: expectIndex(view.getUint32(1)) };
    case FrameType.reject:
      expectLength(bytes, 6, 'reject');
      return { type: 'reject', index: expectIndex(view.getUint32(1)), reason: view.getUint8(5) };
    case FrameType.queued: {
      expectLength(bytes, 3, 'queued');
      const place = view.getUint16(1);
      if (place === 0) throw new WireError('queue place 0 (places start at 1)');
      return { type: 'queued', place };
    }
    case FrameType.serving:
      expectLength(bytes, 1, 'serving');
      return { type: 'serving' };
    default:
      throw new WireError(`unknown frame type ${bytes[0]}`);
  }
}
