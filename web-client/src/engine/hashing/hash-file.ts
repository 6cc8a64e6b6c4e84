// The manifest module alone: the worker bundle stays free of the protocol's schemas (and zod).
import {
  HASH_LENGTH,
  choosePieceSize,
  encodeManifest,
  manifestId,
  pieceCountOf,
  pieceRange,
} from '@shoal/common/manifest';
import { MAX_FILE_SIZE } from '@shoal/common/limits';
import { MAX_READ_AHEAD, ReadAhead } from '../share/read-ahead.ts';

/** Pieces hashed concurrently: keeps one digest overlapping the next, and a read ahead of both. */
const HASH_WINDOW = 4;

/** A file's canonical manifest and its id. */
export interface HashedFile {
  id: string;
  manifest: Uint8Array;
}

/**
 * Hashes a file piece by piece into its manifest. Reads the file in long runs, as a holder does
 * ({@link ReadAhead}, up to {@link MAX_READ_AHEAD} at once): a read costs a round trip to the browser process
 * whatever its length, so one read per piece cost more CPU than the hashing. Memory stays at two reads whatever the
 * file size. Runs wherever WebCrypto exists; the page runs it in a worker.
 */
export async function hashFile(file: Blob, onProgress: (bytesHashed: number) => void): Promise<HashedFile> {
  if (file.size > MAX_FILE_SIZE) throw new Error(`file is larger than the ${MAX_FILE_SIZE / 2 ** 30} GiB limit`);
  const layout = { size: file.size, pieceSize: choosePieceSize(file.size) };
  const count = pieceCountOf(layout.size, layout.pieceSize);
  const pieceHashes = new Uint8Array(count * HASH_LENGTH);
  const reader = new ReadAhead(file, MAX_READ_AHEAD);
  let next = 0;
  let hashed = 0;

  async function worker(): Promise<void> {
    while (next < count) {
      const index = next++;
      const { start, end } = pieceRange(layout, index);
      // A view of a longer read: the digest copies just its bytes.
      const bytes = (await reader.read(start, end)) as Uint8Array<ArrayBuffer>;
      pieceHashes.set(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), index * HASH_LENGTH);
      hashed += end - start;
      onProgress(hashed);
    }
  }

  await Promise.all(Array.from({ length: Math.min(HASH_WINDOW, count) }, worker));
  const manifest = encodeManifest({ ...layout, pieceHashes });
  return { id: await manifestId(manifest), manifest };
}
