import { pieceCount, pieceRange, type Manifest } from '@shoal/common';
import { RunReader } from './run-reader.ts';
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
  /** The bytes of a held piece; give them back with {@link release} once sent. */
  read(index: number): Promise<Uint8Array>;
  /** Takes back the bytes of a piece read, once nothing uses them any more, to read another piece into. */
  release(bytes: Uint8Array): void;
  /** The session serving from this source ended: lets go of what reading holds. */
  close(): void;
  /** Calls `listener` for each piece newly held; returns the unsubscribe function. */
  onPiece(listener: (index: number) => void): () => void;
}

/** A source holding every piece of a shared file, read from its Blob (one per downloader: it follows its runs). */
export function completeSource(file: SharedFile): PieceSource {
  const reader = new RunReader(file.data);
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
    release: (bytes) => reader.release(bytes),
    close: () => reader.close(),
    onPiece: () => () => {},
  };
}
