import {
  MiB,
  parseSearchQuery,
  setBit,
  type FileRegistration,
  type SearchResult,
  type SearchSort,
} from '@shoal/common';
import type { SearchParams } from './registry.ts';

/** A valid file id made from a number. */
export function fileId(n: number): string {
  return n.toString(16).padStart(64, '0');
}

/** A registration with defaults for what a test does not care about (a one-piece file). */
export function file(n: number, name: string, extra: Partial<FileRegistration> = {}): FileRegistration {
  return { id: fileId(n), name, size: 1000 + n, mimeType: '', ...extra };
}

/** A registration of a file with exactly `pieces` pieces (1 MiB each, the piece size of files up to 8 GiB). */
export function fileOfPieces(n: number, name: string, pieces: number, extra: Partial<FileRegistration> = {}) {
  return file(n, name, { size: pieces * MiB, ...extra });
}

/** What a search shows of a file that one peer holds whole, under `name`. */
export function oneHolderResult(n: number, name: string, size: number, mimeType: string): SearchResult {
  return {
    id: fileId(n),
    name,
    names: [name],
    nameCount: 1,
    size,
    mimeType,
    holders: 1,
    partialHolders: 0,
    availability: 1,
  };
}

/** A bitfield for `pieceCount` pieces with the given pieces set. */
export function bitfield(pieceCount: number, ...pieces: number[]): Uint8Array<ArrayBuffer> {
  const bits = new Uint8Array(Math.ceil(pieceCount / 8));
  for (const piece of pieces) setBit(bits, piece);
  return bits;
}

/** A bitfield for `pieceCount` pieces with pieces `from` (inclusive) to `to` (exclusive) set. */
export function pieceRange(pieceCount: number, from: number, to: number): Uint8Array<ArrayBuffer> {
  return bitfield(pieceCount, ...Array.from({ length: to - from }, (_, i) => from + i));
}

/** Search parameters for query text, parsed as the tracker's handler does (the text must parse). */
export function searchParams(text: string, offset = 0, limit = 10, sort: SearchSort = 'relevance'): SearchParams {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw new Error(`"${text}" does not parse: ${parsed.hint}`);
  return { query: parsed.query, sort, offset, limit };
}
