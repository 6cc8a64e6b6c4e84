import { pieceCount, pieceRange, type Manifest } from '@shoal/common';
import { ReadAhead } from './read-ahead.ts';
import type { SharedFile } from './shared-file.ts';

/**
 * What an upload session serves from: a file's manifest and the pieces this page holds of it, all of them (a shared
 * file) or some (a download in progress, which serves what it has already verified).
 */
export interface PieceSource {
  readonly id: string;
  readonly manifestBytes: Uint8Array;
  readonly manifest: Manifest;
  /** The pieces held, or null when every piece is. */
  bitfield(): Uint8Array | null;
  has(index: number): boolean;
  /** The bytes of a held piece. */
  read(index: number): Promise<Uint8Array>;
  /** Calls `listener` for each piece newly held; returns the unsubscribe function. */
  onPiece(listener: (index: number) => void): () => void;
}

/**
 * A source holding every piece of a shared file, read from its Blob (one per downloader: it reads ahead for it, in
 * reads of at most `maxReadAhead()` bytes).
 */
export function completeSource(file: SharedFile, maxReadAhead?: () => number): PieceSource {
  const reader = new ReadAhead(file.data, maxReadAhead);
  return {
    id: file.id,
    manifestBytes: file.manifestBytes,
    manifest: file.manifest,
    bitfield: () => null,
    has: (index) => index >= 0 && index < pieceCount(file.manifest),
    read(index) {
      const { start, end } = pieceRange(file.manifest, index);
      return reader.read(start, end);
    },
    onPiece: () => () => {},
  };
}
