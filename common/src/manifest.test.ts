import { describe, expect, it } from 'vitest';
import { toHex } from './hex.ts';
import { GiB, MAX_FILE_SIZE, MAX_PIECE_COUNT, MAX_PIECE_SIZE, MiB, MIN_PIECE_SIZE } from './limits.ts';
import {
  choosePieceSize,
  decodeManifest,
  encodeManifest,
  HASH_LENGTH,
  type Manifest,
  ManifestError,
  manifestId,
  pieceCount,
  pieceCountOf,
  pieceHash,
  pieceLength,
  pieceRange,
  verifyManifest,
  verifyPiece,
} from './manifest.ts';

/** SHA-256 computed independently of the module under test (WebCrypto directly). */
async function digest(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Deterministic filler bytes (not random: tests must be reproducible). */
function fill(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A real manifest of `file` with the given piece size. */
async function manifestOf(file: Uint8Array, pieceSize = MIN_PIECE_SIZE): Promise<Manifest> {
  const count = pieceCountOf(file.length, pieceSize);
  const pieceHashes = new Uint8Array(count * HASH_LENGTH);
  for (let i = 0; i < count; i++) {
    pieceHashes.set(await digest(file.subarray(i * pieceSize, (i + 1) * pieceSize)), i * HASH_LENGTH);
  }
  return { size: file.length, pieceSize, pieceHashes };
}

/** A manifest of the right shape for `size` whose hashes are filler, for tests that never hash pieces. */
function shapedManifest(size: number, pieceSize = choosePieceSize(size)): Manifest {
  return { size, pieceSize, pieceHashes: fill(pieceCountOf(size, pieceSize) * HASH_LENGTH, size + 7) };
}

/** Raw manifest bytes with arbitrary header fields, to build malformed encodings. */
function rawManifest(fields: { size: bigint; pieceSize: number; count: number; hashBytes: number }): Uint8Array {
  const out = new Uint8Array(20 + fields.hashBytes);
  const view = new DataView(out.buffer);
  out.set([0x53, 0x48, 0x4d, 0x31], 0);
  view.setBigUint64(4, fields.size);
  view.setUint32(12, fields.pieceSize);
  view.setUint32(16, fields.count);
  return out;
}

describe('choosePieceSize', () => {
  it('uses the smallest piece size for small and empty files', () => {
    expect(choosePieceSize(0)).toBe(MIN_PIECE_SIZE);
    expect(choosePieceSize(1)).toBe(MIN_PIECE_SIZE);
    expect(choosePieceSize(700 * MiB)).toBe(MIN_PIECE_SIZE);
    expect(choosePieceSize(MAX_PIECE_COUNT * MIN_PIECE_SIZE)).toBe(MIN_PIECE_SIZE);
  });

  it('doubles the piece size once the piece count would exceed the limit', () => {
    expect(choosePieceSize(MAX_PIECE_COUNT * MIN_PIECE_SIZE + 1)).toBe(2 * MiB);
    expect(choosePieceSize(16 * GiB)).toBe(2 * MiB);
    expect(choosePieceSize(16 * GiB + 1)).toBe(4 * MiB);
    expect(choosePieceSize(100 * GiB)).toBe(16 * MiB);
    expect(choosePieceSize(MAX_FILE_SIZE)).toBe(MAX_PIECE_SIZE);
  });

  it('never goes beyond the largest piece size', () => {
    expect(choosePieceSize(MAX_FILE_SIZE + 1)).toBe(MAX_PIECE_SIZE);
    expect(choosePieceSize(1000 * MAX_FILE_SIZE)).toBe(MAX_PIECE_SIZE);
  });

  it('keeps the piece count within the limit with the smallest power of two that does', () => {
    const sizes = [1, 5 * MiB + 3, 8 * GiB, 8 * GiB + 1, 33 * GiB, 64 * GiB + 1, 127 * GiB, MAX_FILE_SIZE];
    for (const size of sizes) {
      const pieceSize = choosePieceSize(size);
      expect(pieceSize & (pieceSize - 1)).toBe(0);
      expect(pieceCountOf(size, pieceSize)).toBeLessThanOrEqual(MAX_PIECE_COUNT);
      if (pieceSize > MIN_PIECE_SIZE) expect(pieceCountOf(size, pieceSize / 2)).toBeGreaterThan(MAX_PIECE_COUNT);
    }
  });
});

describe('piece geometry', () => {
  const shape = { size: 2 * MiB + 5, pieceSize: MiB };

  it('counts pieces, rounding the last one up', () => {
    expect(pieceCountOf(0, MiB)).toBe(0);
    expect(pieceCountOf(1, MiB)).toBe(1);
    expect(pieceCountOf(MiB, MiB)).toBe(1);
    expect(pieceCountOf(MiB + 1, MiB)).toBe(2);
    expect(pieceCount(shapedManifest(shape.size, shape.pieceSize))).toBe(3);
  });

  it('gives full ranges for inner pieces and a short last piece', () => {
    expect(pieceRange(shape, 0)).toEqual({ start: 0, end: MiB });
    expect(pieceRange(shape, 1)).toEqual({ start: MiB, end: 2 * MiB });
    expect(pieceRange(shape, 2)).toEqual({ start: 2 * MiB, end: 2 * MiB + 5 });
    expect(pieceLength(shape, 0)).toBe(MiB);
    expect(pieceLength(shape, 2)).toBe(5);
  });

  it('gives a full last piece when the size is a multiple of the piece size', () => {
    expect(pieceLength({ size: 3 * MiB, pieceSize: MiB }, 2)).toBe(MiB);
  });

  it('gives the whole file as the only piece of a small file', () => {
    expect(pieceRange({ size: 10, pieceSize: MiB }, 0)).toEqual({ start: 0, end: 10 });
  });

  it('has no pieces for an empty file', () => {
    const empty = shapedManifest(0);
    expect(pieceCount(empty)).toBe(0);
    expect(empty.pieceHashes.length).toBe(0);
  });

  it('slices the hash of each piece', () => {
    const manifest = shapedManifest(shape.size, shape.pieceSize);
    expect(pieceHash(manifest, 1)).toEqual(manifest.pieceHashes.slice(32, 64));
    expect(pieceHash(manifest, 2).length).toBe(HASH_LENGTH);
  });
});

describe('manifest encoding', () => {
  it('round-trips a manifest with a short last piece', async () => {
    const manifest = await manifestOf(fill(2 * MiB + 123));
    const encoded = encodeManifest(manifest);
    expect(encoded.length).toBe(20 + 3 * HASH_LENGTH);
    expect(decodeManifest(encoded)).toEqual(manifest);
  });

  it('round-trips an empty file', () => {
    const manifest = shapedManifest(0);
    const encoded = encodeManifest(manifest);
    expect(encoded.length).toBe(20);
    expect(decodeManifest(encoded)).toEqual(manifest);
  });

  it('round-trips the largest file with the largest piece size', () => {
    const manifest = shapedManifest(MAX_FILE_SIZE);
    expect(pieceCount(manifest)).toBe(MAX_PIECE_COUNT);
    const decoded = decodeManifest(encodeManifest(manifest));
    expect([decoded.size, decoded.pieceSize]).toEqual([MAX_FILE_SIZE, MAX_PIECE_SIZE]);
    // Hex strings compare much faster than toEqual over 256 KiB of typed array.
    expect(toHex(decoded.pieceHashes)).toBe(toHex(manifest.pieceHashes));
  });

  it('writes the documented big-endian layout', () => {
    const encoded = encodeManifest(shapedManifest(5 * MiB + 1, 2 * MiB));
    const view = new DataView(encoded.buffer);
    expect(new TextDecoder().decode(encoded.subarray(0, 4))).toBe('SHM1');
    expect(view.getBigUint64(4)).toBe(BigInt(5 * MiB + 1));
    expect(view.getUint32(12)).toBe(2 * MiB);
    expect(view.getUint32(16)).toBe(3);
  });

  it('decodes from a view with a non-zero byte offset and copies the hashes', () => {
    const encoded = encodeManifest(shapedManifest(3 * MiB));
    const buffer = new Uint8Array(encoded.length + 10);
    buffer.set(encoded, 7);
    const view = buffer.subarray(7, 7 + encoded.length);
    const decoded = decodeManifest(view);
    expect(decoded).toEqual(decodeManifest(encoded));
    view.fill(0);
    expect(decoded.pieceHashes).toEqual(encoded.subarray(20));
  });

  it('refuses to encode an inconsistent manifest', () => {
    expect(() => encodeManifest({ size: 3 * MiB, pieceSize: MiB, pieceHashes: new Uint8Array(64) })).toThrow(
      ManifestError,
    );
    expect(() => encodeManifest({ size: 10, pieceSize: 3 * MiB, pieceHashes: new Uint8Array(32) })).toThrow(
      ManifestError,
    );
    expect(() => encodeManifest({ size: -1, pieceSize: MiB, pieceHashes: new Uint8Array(0) })).toThrow(ManifestError);
    expect(() => encodeManifest({ size: 1.5, pieceSize: MiB, pieceHashes: new Uint8Array(32) })).toThrow(ManifestError);
  });
});

describe('decodeManifest rejects', () => {
  const valid = encodeManifest(shapedManifest(2 * MiB + 1));

  it('a wrong magic', () => {
    for (const at of [0, 3]) {
      const bytes = valid.slice();
      bytes[at] = 0x30;
      expect(() => decodeManifest(bytes)).toThrow(/not a Shoal manifest/);
    }
  });

  it('truncated encodings', () => {
    expect(() => decodeManifest(new Uint8Array(0))).toThrow(ManifestError);
    expect(() => decodeManifest(valid.subarray(0, 19))).toThrow(/too short/);
    expect(() => decodeManifest(valid.subarray(0, valid.length - 1))).toThrow(ManifestError);
    expect(() => decodeManifest(valid.subarray(0, valid.length - HASH_LENGTH))).toThrow(ManifestError);
  });

  it('trailing bytes', () => {
    const longer = new Uint8Array(valid.length + HASH_LENGTH);
    longer.set(valid);
    expect(() => decodeManifest(longer)).toThrow(ManifestError);
  });

  it('a piece count field that disagrees with the hashes', () => {
    const bytes = valid.slice();
    new DataView(bytes.buffer).setUint32(16, 4);
    expect(() => decodeManifest(bytes)).toThrow(/piece count/);
    new DataView(bytes.buffer).setUint32(16, 0xffffffff);
    expect(() => decodeManifest(bytes)).toThrow(/piece count/);
  });

  it('a size that disagrees with the hashes', () => {
    const bytes = valid.slice();
    new DataView(bytes.buffer).setBigUint64(4, BigInt(5 * MiB));
    expect(() => decodeManifest(bytes)).toThrow(ManifestError);
  });

  it('piece sizes that are not a power of two or out of bounds', () => {
    for (const pieceSize of [0, 1, MiB + 1, 3 * MiB, MiB / 2, 32 * MiB, 0xffffffff]) {
      const bytes = rawManifest({ size: 10n, pieceSize, count: 1, hashBytes: HASH_LENGTH });
      expect(() => decodeManifest(bytes), `piece size ${pieceSize}`).toThrow(/bad piece size/);
    }
  });

  it('sizes beyond the largest file', () => {
    const cases = [BigInt(MAX_FILE_SIZE) + 1n, 2n ** 53n, 2n ** 64n - 1n];
    for (const size of cases) {
      const bytes = rawManifest({ size, pieceSize: MAX_PIECE_SIZE, count: MAX_PIECE_COUNT, hashBytes: 0 });
      expect(() => decodeManifest(bytes), `size ${size}`).toThrow(/bad file size/);
    }
  });

  it('too many pieces for the piece size', () => {
    const size = BigInt(MAX_PIECE_COUNT * MiB + 1);
    const count = MAX_PIECE_COUNT + 1;
    const bytes = rawManifest({ size, pieceSize: MiB, count, hashBytes: count * HASH_LENGTH });
    expect(() => decodeManifest(bytes)).toThrow(/too many pieces/);
  });
});

describe('manifestId and verifyManifest', () => {
  it('is the lower-case hex SHA-256 of the encoding', async () => {
    const encoded = encodeManifest(await manifestOf(fill(MiB + 77)));
    const id = await manifestId(encoded);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).toBe(toHex(await digest(encoded)));
  });

  it('is deterministic and depends on content, not on identity', async () => {
    const a = encodeManifest(await manifestOf(fill(1000, 3)));
    const b = encodeManifest(await manifestOf(fill(1000, 3)));
    const c = encodeManifest(await manifestOf(fill(1000, 4)));
    expect(await manifestId(a)).toBe(await manifestId(b));
    expect(await manifestId(a)).not.toBe(await manifestId(c));
  });

  it('encodes an empty file as a bare header and hashes that', async () => {
    const encoded = encodeManifest(shapedManifest(0));
    expect(encoded).toEqual(
      new Uint8Array([0x53, 0x48, 0x4d, 0x31, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0]),
    );
    expect(await manifestId(encoded)).toBe(toHex(await digest(encoded)));
  });

  it('accepts a manifest that matches its id', async () => {
    const manifest = await manifestOf(fill(3 * MiB));
    const encoded = encodeManifest(manifest);
    expect(await verifyManifest(encoded, await manifestId(encoded))).toEqual(manifest);
  });

  it('rejects a manifest that does not match the id', async () => {
    const encoded = encodeManifest(await manifestOf(fill(3 * MiB)));
    const id = await manifestId(encoded);
    const tampered = encoded.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(verifyManifest(tampered, id)).rejects.toThrow(ManifestError);
    await expect(verifyManifest(encoded, '0'.repeat(64))).rejects.toThrow(/does not match/);
    await expect(verifyManifest(encoded, id.toUpperCase())).rejects.toThrow(ManifestError);
  });

  it('rejects a malformed encoding even when the id matches it', async () => {
    const malformed = rawManifest({ size: 10n, pieceSize: 3 * MiB, count: 1, hashBytes: HASH_LENGTH });
    await expect(verifyManifest(malformed, await manifestId(malformed))).rejects.toThrow(ManifestError);
  });
});

describe('verifyPiece', () => {
  const file = fill(2 * MiB + 1000, 9);
  const manifestPromise = manifestOf(file);
  const piece = (index: number) => file.subarray(index * MiB, (index + 1) * MiB);

  it('accepts every correct piece, including the short last one', async () => {
    const manifest = await manifestPromise;
    for (let i = 0; i < 3; i++) expect(await verifyPiece(manifest, i, piece(i))).toBe(true);
    expect(piece(2).length).toBe(1000);
  });

  it('accepts a piece held in a view with a non-zero byte offset', async () => {
    const manifest = await manifestPromise;
    const copy = new Uint8Array(MiB + 3);
    copy.set(piece(1), 3);
    expect(await verifyPiece(manifest, 1, copy.subarray(3))).toBe(true);
  });

  it('rejects wrong bytes', async () => {
    const manifest = await manifestPromise;
    const corrupt = piece(1).slice();
    corrupt[12345]! ^= 0x01;
    expect(await verifyPiece(manifest, 1, corrupt)).toBe(false);
    expect(await verifyPiece(manifest, 0, piece(1))).toBe(false);
  });

  it('rejects a piece of the wrong length', async () => {
    const manifest = await manifestPromise;
    expect(await verifyPiece(manifest, 2, piece(2).subarray(0, 999))).toBe(false);
    expect(await verifyPiece(manifest, 0, piece(0).subarray(0, MiB - 1))).toBe(false);
    expect(await verifyPiece(manifest, 2, new Uint8Array(0))).toBe(false);
  });

  it('rejects an index out of range', async () => {
    const manifest = await manifestPromise;
    for (const index of [-1, 3, 4, MAX_PIECE_COUNT, Number.NaN, 0.5]) {
      expect(await verifyPiece(manifest, index, piece(0)), `index ${index}`).toBe(false);
    }
    expect(await verifyPiece(shapedManifest(0), 0, new Uint8Array(0))).toBe(false);
  });
});
