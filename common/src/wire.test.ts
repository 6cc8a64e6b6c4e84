import { describe, expect, it } from 'vitest';
import { toHex } from './hex.ts';
import { MAX_MANIFEST_BYTES, MAX_PIECE_COUNT, MAX_PIECE_SIZE, MAX_WIRE_CHUNK, WIRE_CHUNK_SIZE } from './limits.ts';
import {
  decodeFrame,
  encodeFrame,
  encodePieceFrameInto,
  sendPieceFrame,
  type Frame,
  FrameType,
  MAX_QUEUE_PLACE,
  RejectReason,
  WIRE_VERSION,
  WireError,
} from './wire.ts';

const FILE_ID = '0123456789abcdef'.repeat(4);

/** Deterministic PRNG (mulberry32) so the fuzz test fails the same way every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bytesOf(length: number, value = 0xab): Uint8Array {
  return new Uint8Array(length).fill(value);
}

/** Builds a raw frame: a type byte followed by the given body bytes. */
function raw(type: number, ...body: number[]): Uint8Array {
  return new Uint8Array([type, ...body]);
}

/** A frame with a u32 field set at `at` (big-endian) inside a zeroed frame of `length` bytes. */
function withU32(type: number, length: number, fields: Record<number, number>): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes[0] = type;
  const view = new DataView(bytes.buffer);
  for (const [at, value] of Object.entries(fields)) view.setUint32(Number(at), value);
  return bytes;
}

/** The frame with byte payloads as hex: toEqual over large typed arrays is slow, over strings it is not. */
function comparable(frame: Frame): Record<string, unknown> {
  if (frame.type === 'handshake') return { ...frame, bitfield: toHex(frame.bitfield) };
  if (frame.type === 'manifest' || frame.type === 'piece') return { ...frame, data: toHex(frame.data) };
  return { ...frame };
}

const everyFrame: Frame[] = [
  { type: 'handshake', version: WIRE_VERSION, fileId: FILE_ID, complete: true, bitfield: new Uint8Array(0) },
  { type: 'handshake', version: 7, fileId: FILE_ID, complete: false, bitfield: new Uint8Array([0b1010_0000, 0xff]) },
  {
    type: 'handshake',
    version: WIRE_VERSION,
    fileId: 'f'.repeat(64),
    complete: false,
    bitfield: bytesOf(MAX_PIECE_COUNT / 8, 0x55),
  },
  { type: 'manifestRequest' },
  { type: 'manifest', totalLength: 84, offset: 0, data: bytesOf(84) },
  { type: 'manifest', totalLength: MAX_MANIFEST_BYTES, offset: 64, data: bytesOf(WIRE_CHUNK_SIZE) },
  { type: 'manifest', totalLength: 20, offset: 20, data: new Uint8Array(0) },
  { type: 'have', index: 0 },
  { type: 'have', index: MAX_PIECE_COUNT - 1 },
  { type: 'request', index: 42 },
  { type: 'piece', index: 3, offset: 65_536, data: bytesOf(WIRE_CHUNK_SIZE, 0x11) },
  { type: 'piece', index: MAX_PIECE_COUNT - 1, offset: 0, data: bytesOf(1) },
  { type: 'piece', index: 0, offset: MAX_PIECE_SIZE - MAX_WIRE_CHUNK, data: bytesOf(MAX_WIRE_CHUNK) },
  { type: 'cancel', index: 9 },
  { type: 'reject', index: 5, reason: RejectReason.notAvailable },
  { type: 'reject', index: 6, reason: RejectReason.busy },
  { type: 'queued', place: 1 },
  { type: 'queued', place: MAX_QUEUE_PLACE },
  { type: 'serving' },
];

describe('wire codec round trip', () => {
  it.each(everyFrame.map((frame) => [frame.type, frame] as const))('round-trips a %s frame', (_, frame) => {
    const encoded = encodeFrame(frame);
    expect(encoded[0]).toBe(FrameType[frame.type]);
    expect(comparable(decodeFrame(encoded))).toEqual(comparable(frame));
  });

  it('covers every frame type', () => {
    expect(new Set(everyFrame.map((frame) => frame.type))).toEqual(new Set(Object.keys(FrameType)));
  });

  it('encodes index frames as a tag and a big-endian u32', () => {
    expect(encodeFrame({ type: 'have', index: 0x01020304 })).toEqual(raw(FrameType.have, 1, 2, 3, 4));
    expect(encodeFrame({ type: 'reject', index: 1, reason: 2 })).toEqual(raw(FrameType.reject, 0, 0, 0, 1, 2));
    expect(encodeFrame({ type: 'manifestRequest' })).toEqual(raw(FrameType.manifestRequest));
  });

  it('encodes a queue place as a big-endian u16 and refuses places it cannot carry', () => {
    expect(encodeFrame({ type: 'queued', place: 0x0102 })).toEqual(raw(FrameType.queued, 1, 2));
    expect(encodeFrame({ type: 'serving' })).toEqual(raw(FrameType.serving));
    for (const place of [0, -1, 1.5, MAX_QUEUE_PLACE + 1, NaN]) {
      expect(() => encodeFrame({ type: 'queued', place }), String(place)).toThrow(RangeError);
    }
  });

  it('decodes from a view with a non-zero byte offset', () => {
    for (const frame of everyFrame) {
      const encoded = encodeFrame(frame);
      const buffer = new Uint8Array(encoded.length + 13).fill(0xee);
      buffer.set(encoded, 5);
      expect(comparable(decodeFrame(buffer.subarray(5, 5 + encoded.length)))).toEqual(comparable(frame));
    }
  });

  it('returns payloads as views into the received bytes', () => {
    const encoded = encodeFrame({ type: 'piece', index: 1, offset: 0, data: bytesOf(10) });
    const decoded = decodeFrame(encoded);
    if (decoded.type !== 'piece') throw new Error('expected a piece frame');
    expect(decoded.data.buffer).toBe(encoded.buffer);
    expect(decoded.data.byteOffset).toBe(9);
  });
});

describe('decodeFrame rejects', () => {
  const reject = (bytes: Uint8Array, message?: RegExp) => {
    expect(() => decodeFrame(bytes)).toThrow(WireError);
    if (message) expect(() => decodeFrame(bytes)).toThrow(message);
  };

  it('an empty frame', () => reject(new Uint8Array(0), /empty/));

  it('unknown frame types', () => {
    for (const type of [0x00, 0x0b, 0x7f, 0xff]) reject(raw(type, 0, 0, 0, 0), /unknown frame type/);
  });

  it('every truncation of every frame', () => {
    for (const frame of everyFrame) {
      const encoded = encodeFrame(frame);
      // Truncations past the 9-byte header of a manifest or piece frame are shorter (still valid) chunks.
      const shortest = frame.type === 'manifest' ? 9 : frame.type === 'piece' ? 10 : encoded.length;
      for (let length = 1; length < Math.min(shortest, 64); length++) {
        expect(() => decodeFrame(encoded.subarray(0, length)), `${frame.type} cut to ${length}`).toThrow(WireError);
      }
    }
    reject(encodeFrame(everyFrame[1]!).subarray(0, 40), /handshake/);
  });

  it('frames with extra bytes', () => {
    for (const frame of everyFrame) {
      if (frame.type === 'manifest' || frame.type === 'piece') continue; // their payload runs to the end
      const encoded = encodeFrame(frame);
      const longer = new Uint8Array(encoded.length + 1);
      longer.set(encoded);
      expect(() => decodeFrame(longer), frame.type).toThrow(WireError);
    }
  });

  it('oversized piece and manifest chunks', () => {
    reject(encodeFrame({ type: 'piece', index: 0, offset: 0, data: bytesOf(MAX_WIRE_CHUNK + 1) }), /too large/);
    reject(
      encodeFrame({ type: 'manifest', totalLength: MAX_MANIFEST_BYTES, offset: 0, data: bytesOf(MAX_WIRE_CHUNK + 1) }),
      /too large/,
    );
  });

  it('a handshake with a bitfield longer than the most pieces need', () => {
    const frame = { type: 'handshake', version: 1, fileId: FILE_ID, complete: false } as const;
    reject(encodeFrame({ ...frame, bitfield: bytesOf(MAX_PIECE_COUNT / 8 + 1) }), /bitfield too long/);
    const hugeLength = encodeFrame({ ...frame, bitfield: new Uint8Array(0) });
    new DataView(hugeLength.buffer).setUint32(35, 0xffff_ffff);
    reject(hugeLength, /bitfield too long/);
  });

  it('a handshake whose bitfield length disagrees with the frame', () => {
    const encoded = encodeFrame({
      type: 'handshake',
      version: 1,
      fileId: FILE_ID,
      complete: false,
      bitfield: bytesOf(4),
    });
    new DataView(encoded.buffer).setUint32(35, 3);
    reject(encoded, /handshake frame must be/);
    new DataView(encoded.buffer).setUint32(35, 5);
    reject(encoded, /handshake frame must be/);
  });

  it('a handshake with unknown flags', () => {
    const encoded = encodeFrame({
      type: 'handshake',
      version: 1,
      fileId: FILE_ID,
      complete: true,
      bitfield: bytesOf(0),
    });
    for (const flags of [2, 3, 0x80, 0xff]) {
      encoded[34] = flags;
      reject(encoded, /flags/);
    }
  });

  it('piece indexes beyond the most pieces', () => {
    for (const index of [MAX_PIECE_COUNT, MAX_PIECE_COUNT + 1, 0xffff_ffff]) {
      reject(withU32(FrameType.have, 5, { 1: index }), /out of range/);
      reject(withU32(FrameType.request, 5, { 1: index }), /out of range/);
      reject(withU32(FrameType.cancel, 5, { 1: index }), /out of range/);
      reject(withU32(FrameType.reject, 6, { 1: index }), /out of range/);
      reject(withU32(FrameType.piece, 10, { 1: index }), /out of range/);
    }
  });

  it('a manifest chunk that runs beyond the manifest', () => {
    reject(encodeFrame({ type: 'manifest', totalLength: 100, offset: 90, data: bytesOf(11) }), /beyond/);
    reject(encodeFrame({ type: 'manifest', totalLength: 100, offset: 101, data: new Uint8Array(0) }), /beyond/);
    reject(withU32(FrameType.manifest, 10, { 1: 100, 5: 0xffff_ffff }), /beyond/);
  });

  it('a manifest larger than the largest manifest', () => {
    reject(
      encodeFrame({ type: 'manifest', totalLength: MAX_MANIFEST_BYTES + 1, offset: 0, data: bytesOf(1) }),
      /large/,
    );
    reject(withU32(FrameType.manifest, 9, { 1: 0xffff_ffff }), /large/);
  });

  it('a piece chunk that runs beyond the largest piece', () => {
    reject(encodeFrame({ type: 'piece', index: 0, offset: MAX_PIECE_SIZE, data: bytesOf(1) }), /beyond/);
    reject(encodeFrame({ type: 'piece', index: 0, offset: MAX_PIECE_SIZE - 1, data: bytesOf(2) }), /beyond/);
    reject(withU32(FrameType.piece, 10, { 1: 0, 5: 0xffff_ffff }), /beyond/);
  });

  it('queue place 0', () => {
    reject(raw(FrameType.queued, 0, 0), /place 0/);
  });

  it('an empty piece chunk', () => {
    reject(encodeFrame({ type: 'piece', index: 0, offset: 0, data: new Uint8Array(0) }), /empty piece chunk/);
  });
});

describe('decodeFrame fuzz', () => {
  /** Small valid frames to mutate, so that mutants get past the first checks of the decoder. */
  const seeds = everyFrame.filter((frame) => encodeFrame(frame).length < 200).map(encodeFrame);

  /** A random byte array: pure noise or a valid frame with one to three bytes changed, cut or appended. */
  function randomFrame(random: () => number): Uint8Array {
    const int = (below: number) => Math.floor(random() * below);
    if (random() < 0.3) return Uint8Array.from({ length: int(48) }, () => int(256));
    let bytes = seeds[int(seeds.length)]!.slice();
    for (let mutations = 1 + int(3); mutations > 0; mutations--) {
      const what = random();
      if (what < 0.6 && bytes.length > 0) bytes[int(bytes.length)] = int(256);
      else if (what < 0.8) bytes = bytes.slice(0, int(bytes.length + 1));
      else bytes = Uint8Array.from([...bytes, ...Array.from({ length: 1 + int(4) }, () => int(256))]);
    }
    return bytes;
  }

  it('either decodes (to a frame that re-encodes to the same bytes) or throws a WireError, for 2,000 inputs', () => {
    const random = mulberry32(0x5ee0a1);
    const decoded = new Set<string>();
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = randomFrame(random);
      try {
        const frame = decodeFrame(bytes);
        expect(encodeFrame(frame)).toEqual(bytes);
        decoded.add(frame.type);
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        rejected++;
      }
    }
    // The generator must exercise both outcomes, and success for every frame type.
    expect(rejected).toBeGreaterThan(500);
    expect(decoded).toEqual(new Set(Object.keys(FrameType)));
  });
});

describe('encodePieceFrameInto', () => {
  it('writes the same bytes as encodeFrame into a reused buffer', () => {
    const scratch = new Uint8Array(64);
    const frame = { type: 'piece', index: 7, offset: 3, data: Uint8Array.of(1, 2, 3) } as const;
    expect(Array.from(encodePieceFrameInto(scratch, frame))).toEqual(Array.from(encodeFrame(frame)));
    const next = { type: 'piece', index: 1, offset: 0, data: Uint8Array.of(9) } as const;
    expect(Array.from(encodePieceFrameInto(scratch, next))).toEqual(Array.from(encodeFrame(next)));
  });

  it('refuses a buffer too small for the frame', () => {
    expect(() =>
      encodePieceFrameInto(new Uint8Array(10), { type: 'piece', index: 0, offset: 0, data: new Uint8Array(2) }),
    ).toThrow(RangeError);
  });
});

describe('sendPieceFrame', () => {
  const frameOf = (data: Uint8Array) => ({ type: 'piece', index: 5, offset: 262_128, data }) as const;
  const noScratch = (): Uint8Array => {
    throw new Error('the chunk should not have been copied');
  };

  it('sends the encoded frame from the bytes before the chunk, and puts them back', () => {
    const buffer = Uint8Array.from({ length: 40 }, (_, i) => i);
    const data = buffer.subarray(12, 30);
    const sent: number[][] = [];
    sendPieceFrame(frameOf(data), noScratch, (bytes) => {
      expect(bytes.buffer).toBe(buffer.buffer);
      sent.push(Array.from(bytes));
    });
    expect(sent).toEqual([Array.from(encodeFrame(frameOf(data)))]);
    expect(Array.from(buffer)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('copies a chunk at the start of its buffer into the scratch buffer', () => {
    const data = Uint8Array.of(1, 2, 3);
    const scratch = new Uint8Array(64);
    const sent: number[][] = [];
    sendPieceFrame(
      frameOf(data.subarray(0, 3)),
      () => scratch,
      (bytes) => sent.push(Array.from(bytes)),
    );
    sendPieceFrame(
      frameOf(new Uint8Array(new ArrayBuffer(20), 8, 3)),
      () => scratch,
      (bytes) => {
        expect(bytes.buffer).toBe(scratch.buffer);
        sent.push(Array.from(bytes));
      },
    );
    expect(sent[0]).toEqual(Array.from(encodeFrame(frameOf(data))));
    expect(sent[1]).toEqual(Array.from(encodeFrame(frameOf(new Uint8Array(3)))));
  });

  it('puts the bytes back when sending throws', () => {
    const buffer = new Uint8Array(32).fill(0xab);
    expect(() =>
      sendPieceFrame(frameOf(buffer.subarray(16)), noScratch, () => {
        throw new Error('channel closed');
      }),
    ).toThrow('channel closed');
    expect(buffer.every((byte) => byte === 0xab)).toBe(true);
  });
});
