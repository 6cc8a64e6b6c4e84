import { bytesEqual, sha256, toHex } from './hex.ts';
import { MAX_FILE_SIZE, MAX_PIECE_COUNT, MAX_PIECE_SIZE, MIN_PIECE_SIZE } from './limits.ts';

/**
 * A file's manifest: its size, its piece size and the SHA-256 of every piece. The file's id is the SHA-256 of the
 * manifest's canonical encoding, so a manifest (and through it every piece) can be checked against the id alone.
 * The name is not part of it: the same bytes under two names are one file.
 */
export interface Manifest {
  /** File size in bytes. */
  size: number;
  /** Bytes per piece (a power of two); the last piece may be shorter. */
  pieceSize: number;
  /** The SHA-256 of each piece, 32 bytes each, concatenated in piece order. */
  pieceHashes: Uint8Array;
}

/** Length in bytes of a SHA-256 digest. */
export const HASH_LENGTH = 32;
/** "SHM1": marks the encoding and its version. */
const MAGIC = [0x53, 0x48, 0x4d, 0x31] as const;
const HEADER_LENGTH = 20;

/** A manifest that is malformed or does not match its id. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** The piece size Shoal uses for a file of `size` bytes: 1 MiB, doubled until the piece count fits the limit. */
export function choosePieceSize(size: number): number {
  let pieceSize = MIN_PIECE_SIZE;
  while (pieceSize < MAX_PIECE_SIZE && Math.ceil(size / pieceSize) > MAX_PIECE_COUNT) pieceSize *= 2;
  return pieceSize;
}

/** How many pieces a file of `size` bytes has (0 for an empty file). */
export function pieceCountOf(size: number, pieceSize: number): number {
  return Math.ceil(size / pieceSize);
}

/** Number of pieces of a manifest. */
export function pieceCount(manifest: Manifest): number {
  return manifest.pieceHashes.length / HASH_LENGTH;
}

/** Byte range `[start, end)` of piece `index` within the file. */
export function pieceRange(
  manifest: Pick<Manifest, 'size' | 'pieceSize'>,
  index: number,
): { start: number; end: number } {
  const start = index * manifest.pieceSize;
  return { start, end: Math.min(start + manifest.pieceSize, manifest.size) };
}

/** Length in bytes of piece `index`. */
export function pieceLength(manifest: Pick<Manifest, 'size' | 'pieceSize'>, index: number): number {
  const { start, end } = pieceRange(manifest, index);
  return end - start;
}

/** The expected SHA-256 of piece `index`. */
export function pieceHash(manifest: Manifest, index: number): Uint8Array {
  return manifest.pieceHashes.subarray(index * HASH_LENGTH, (index + 1) * HASH_LENGTH);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Throws a {@link ManifestError} unless size, piece size and hash count are consistent and within limits. */
function checkShape(size: number, pieceSize: number, hashBytes: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_SIZE) throw new ManifestError(`bad file size ${size}`);
  if (!isPowerOfTwo(pieceSize) || pieceSize < MIN_PIECE_SIZE || pieceSize > MAX_PIECE_SIZE) {
    throw new ManifestError(`bad piece size ${pieceSize}`);
  }
  const count = pieceCountOf(size, pieceSize);
  if (count > MAX_PIECE_COUNT) throw new ManifestError(`too many pieces (${count})`);
  if (hashBytes !== count * HASH_LENGTH) throw new ManifestError(`expected ${count} piece hashes`);
}

/**
 * The canonical encoding: "SHM1", size (u64), piece size (u32), piece count (u32), then the piece hashes, all
 * big-endian. Fixed layout, so every manifest has exactly one encoding.
 */
export function encodeManifest(manifest: Manifest): Uint8Array {
  checkShape(manifest.size, manifest.pieceSize, manifest.pieceHashes.length);
  const out = new Uint8Array(HEADER_LENGTH + manifest.pieceHashes.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setBigUint64(4, BigInt(manifest.size));
  view.setUint32(12, manifest.pieceSize);
  view.setUint32(16, pieceCount(manifest));
  out.set(manifest.pieceHashes, HEADER_LENGTH);
  return out;
}

/** Parses a canonical encoding; throws a {@link ManifestError} on anything else. */
export function decodeManifest(bytes: Uint8Array): Manifest {
  if (bytes.length < HEADER_LENGTH) throw new ManifestError('manifest too short');
  if (!MAGIC.every((byte, i) => bytes[i] === byte)) throw new ManifestError('not a Shoal manifest');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bigSize = view.getBigUint64(4);
  if (bigSize > BigInt(MAX_FILE_SIZE)) throw new ManifestError(`bad file size ${bigSize}`);
  const size = Number(bigSize);
  const pieceSize = view.getUint32(12);
  const count = view.getUint32(16);
  const hashBytes = bytes.length - HEADER_LENGTH;
  checkShape(size, pieceSize, hashBytes);
  if (count * HASH_LENGTH !== hashBytes) throw new ManifestError('piece count does not match the hashes');
  return { size, pieceSize, pieceHashes: bytes.slice(HEADER_LENGTH) };
}

/** The file id: lower-case hex SHA-256 of the manifest's canonical encoding. */
export async function manifestId(encoded: Uint8Array): Promise<string> {
  return toHex(await sha256(encoded));
}

/** Decodes `encoded` and checks that it hashes to `expectedId`; throws a {@link ManifestError} otherwise. */
export async function verifyManifest(encoded: Uint8Array, expectedId: string): Promise<Manifest> {
  const id = await manifestId(encoded);
  if (id !== expectedId) throw new ManifestError('manifest does not match the file id');
  return decodeManifest(encoded);
}

/** Whether `piece` hashes to the manifest's entry for piece `index` (and has the right length). */
export async function verifyPiece(manifest: Manifest, index: number, piece: Uint8Array): Promise<boolean> {
  if (index < 0 || index >= pieceCount(manifest) || piece.length !== pieceLength(manifest, index)) return false;
  return bytesEqual(await sha256(piece), pieceHash(manifest, index));
}
