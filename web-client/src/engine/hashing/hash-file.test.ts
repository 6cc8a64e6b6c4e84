import { describe, expect, it } from 'vitest';
import { MiB, decodeManifest, pieceHash, sha256 as digest, toHex } from '@shoal/common';
import { patternBytes } from '../test-support/swarm.ts';
import { MAX_READ_AHEAD } from '../share/read-ahead.ts';
import { hashFile } from './hash-file.ts';

const sha256 = async (bytes: Uint8Array) => toHex(await digest(bytes));

describe('hashFile', () => {
  it('hashes every piece, reports progress up to the size, and names the file by its manifest', async () => {
    const bytes = patternBytes(2 * MiB + 123);
    const progress: number[] = [];
    const { id, manifest } = await hashFile(new Blob([bytes as Uint8Array<ArrayBuffer>]), (done) =>
      progress.push(done),
    );
    const decoded = decodeManifest(manifest);
    expect(decoded.size).toBe(bytes.length);
    expect(decoded.pieceSize).toBe(MiB);
    for (const [index, [start, end]] of [
      [0, MiB],
      [MiB, 2 * MiB],
      [2 * MiB, bytes.length],
    ].entries()) {
      expect(toHex(pieceHash(decoded, index))).toBe(await sha256(bytes.subarray(start, end)));
    }
    expect(id).toBe(await sha256(manifest));
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('reads the file in runs that grow to the read-ahead limit, not a read per piece', async () => {
    const bytes = patternBytes(40 * MiB + 5);
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    const reads: number[] = [];
    const slice = blob.slice.bind(blob);
    blob.slice = (start?: number, end?: number) => {
      reads.push(Math.min(end ?? blob.size, blob.size) - (start ?? 0));
      return slice(start, end);
    };
    const { manifest } = await hashFile(blob, () => {});
    const decoded = decodeManifest(manifest);
    expect(decoded.pieceHashes.length).toBe(41 * 32);
    for (const index of [0, 17, 39, 40]) {
      const end = Math.min((index + 1) * MiB, bytes.length);
      expect(toHex(pieceHash(decoded, index))).toBe(await sha256(bytes.subarray(index * MiB, end)));
    }
    // 1, 2, 4, 8 and 16 MiB, then what is left: each byte read once.
    expect(reads).toEqual([MiB, 2 * MiB, 4 * MiB, 8 * MiB, MAX_READ_AHEAD, 9 * MiB + 5]);
  });

  it('gives an empty file a manifest without pieces', async () => {
    const { manifest } = await hashFile(new Blob([]), () => {});
    expect(decodeManifest(manifest)).toMatchObject({ size: 0, pieceHashes: new Uint8Array(0) });
  });
});
