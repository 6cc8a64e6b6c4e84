import { describe, expect, it } from 'vitest';
import { MiB, decodeManifest, pieceHash, sha256 as digest, toHex } from '@shoal/common';
import { patternBytes } from '../test-support/swarm.ts';
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

  it('gives an empty file a manifest without pieces', async () => {
    const { manifest } = await hashFile(new Blob([]), () => {});
    expect(decodeManifest(manifest)).toMatchObject({ size: 0, pieceHashes: new Uint8Array(0) });
  });
});
