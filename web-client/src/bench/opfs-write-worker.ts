/// <reference lib="webworker" />
import { HASH_LENGTH, choosePieceSize, encodeManifest, manifestId } from '@shoal/common/manifest';
import { OpfsRoot, opfsAvailable } from '../engine/storage/disk/opfs-root.ts';
import { StoredDownloads } from '../engine/storage/disk/stored-downloads.ts';
import { PieceKeeper } from '../engine/storage/piece-keeper.ts';
import type { OpfsWriteReply, OpfsWriteRequest } from './opfs-write-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * The benchmark's worker: the engine's own storage code (`StoredDownloads`/`DiskDownload` and `PieceKeeper` over
 * `OpfsRoot`, as in the piece worker) storing a download whose pieces are already in memory, so nothing but storage
 * (and, for the second path, the verification) is timed. Each download is removed afterwards.
 */

/** Distinct random pieces, cycled through the download (random bytes: nothing below can take a shortcut). */
const DISTINCT_PIECES = 8;
/** The payload of one piece frame on the wire (256 KiB less the frame header): how a piece reaches the worker. */
const CHUNK_BYTES = 256 * 1024 - 16;
const info = { name: 'opfs-write-bench.bin', mimeType: 'application/octet-stream', paused: false };

function randomPiece(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let at = 0; at < length; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  return bytes;
}

function chunksOf(piece: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < piece.length; at += CHUNK_BYTES) parts.push(piece.subarray(at, at + CHUNK_BYTES));
  return parts;
}

async function run({ pieces }: OpfsWriteRequest): Promise<OpfsWriteReply> {
  if (!opfsAvailable()) return { ok: false, message: 'no sync access handles in this worker' };
  const pieceSize = 2 ** 20;
  const size = pieces * pieceSize;
  if (choosePieceSize(size) !== pieceSize) return { ok: false, message: 'too many pieces for 1 MiB pieces' };
  const pool = Array.from({ length: DISTINCT_PIECES }, () => randomPiece(pieceSize));
  const poolHashes = await Promise.all(
    pool.map(async (piece) => new Uint8Array(await crypto.subtle.digest('SHA-256', piece as Uint8Array<ArrayBuffer>))),
  );
  const pieceHashes = new Uint8Array(pieces * HASH_LENGTH);
  for (let index = 0; index < pieces; index++)
    pieceHashes.set(poolHashes[index % DISTINCT_PIECES]!, index * HASH_LENGTH);
  const manifestBytes = encodeManifest({ size, pieceSize, pieceHashes });
  const fileId = await manifestId(manifestBytes);
  const root = await OpfsRoot.open();

  const stored = new StoredDownloads(root);
  const disk = await stored.create(fileId, manifestBytes, info);
  let start = performance.now();
  for (let index = 0; index < pieces; index++) disk.write(index, pool[index % DISTINCT_PIECES]!);
  disk.close();
  const storeMs = performance.now() - start;
  await stored.remove(fileId);

  const keeper = new PieceKeeper(root);
  const storeId = 1;
  await keeper.open(storeId, fileId, manifestBytes, info.name, info.mimeType);
  const chunked = pool.map(chunksOf);
  start = performance.now();
  for (let index = 0; index < pieces; index++) {
    if (!(await keeper.write(storeId, index, chunked[index % DISTINCT_PIECES]!))) {
      return { ok: false, message: `piece ${index} did not verify` };
    }
  }
  keeper.close(storeId);
  const verifyAndStoreMs = performance.now() - start;
  await keeper.remove(null, fileId);
  return { ok: true, bytes: size, storeMs, verifyAndStoreMs };
}

self.onmessage = (event: MessageEvent<OpfsWriteRequest>) => {
  run(event.data).then(
    (reply) => self.postMessage(reply),
    (error: unknown) =>
      self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
};
