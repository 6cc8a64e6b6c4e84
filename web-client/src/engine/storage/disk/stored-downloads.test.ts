import { describe, expect, it } from 'vitest';
import { MiB, countBits, decodeManifest, hasBit, pieceRange } from '@shoal/common';
import { hashFile } from '../../hashing/hash-file.ts';
import { MemoryRoot } from '../../test-support/memory-root.ts';
import { patternBytes } from '../../test-support/swarm.ts';
import { StoredDownloads } from './stored-downloads.ts';

async function fileOf(length: number) {
  const bytes = patternBytes(length, length);
  const { id, manifest } = await hashFile(new Blob([bytes as Uint8Array<ArrayBuffer>]), () => {});
  return { bytes, id, manifestBytes: manifest, manifest: decodeManifest(manifest) };
}

/** Deep equality of megabytes is slow in `expect`; a byte compare is not. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const info = { name: 'film.mkv', mimeType: 'video/x-matroska', paused: false };

describe('StoredDownloads', () => {
  it('keeps written pieces and their verified bits across a reload, and finishes into the exact file', async () => {
    const root = new MemoryRoot();
    const file = await fileOf(3.5 * MiB);
    const piece = (index: number) => {
      const { start, end } = pieceRange(file.manifest, index);
      return file.bytes.subarray(start, end);
    };
    const first = await new StoredDownloads(root).create(file.id, file.manifestBytes, info);
    expect(root.fileBytes(file.id, 'data')?.length).toBe(file.bytes.length); // the full size is reserved at once
    first.write(2, piece(2));
    first.write(0, piece(0));
    first.close();

    const reloaded = new StoredDownloads(root);
    const [state, ...others] = await reloaded.load();
    expect(others).toEqual([]);
    expect(state).toMatchObject({ fileId: file.id, info: { ...info, complete: false, version: 1 } });
    expect([0, 1, 2, 3].map((index) => hasBit(state!.verified, index))).toEqual([true, false, true, false]);

    const resumed = await reloaded.resume(state!);
    expect(sameBytes(resumed.read(2), piece(2))).toBe(true);
    expect(() => resumed.read(1)).toThrow(/not stored/);
    await expect(resumed.finish()).rejects.toThrow(/missing/);
    resumed.write(1, piece(1));
    resumed.write(3, piece(3));
    const finished = await resumed.finish();
    expect(sameBytes(new Uint8Array(await finished.arrayBuffer()), file.bytes)).toBe(true);

    const [complete] = await new StoredDownloads(root).load();
    expect(complete?.info.complete).toBe(true);
    expect(countBits(complete!.verified)).toBe(4);
  });

  it('refuses a piece of the wrong length', async () => {
    const file = await fileOf(2 * MiB);
    const download = await new StoredDownloads(new MemoryRoot()).create(file.id, file.manifestBytes, info);
    expect(() => download.write(0, new Uint8Array(10))).toThrow(RangeError);
  });

  it('remembers a pause across a reload', async () => {
    const root = new MemoryRoot();
    const file = await fileOf(MiB);
    const download = await new StoredDownloads(root).create(file.id, file.manifestBytes, info);
    await download.setPaused(true);
    download.close();
    const [state] = await new StoredDownloads(root).load();
    expect(state?.info.paused).toBe(true);
  });

  it('clears folders that are not a usable download, and keeps the good one', async () => {
    const root = new MemoryRoot();
    const good = await fileOf(MiB);
    const stored = new StoredDownloads(root);
    (await stored.create(good.id, good.manifestBytes, info)).close();

    const damaged = async (change: (id: string) => void | Promise<void>) => {
      const file = await fileOf(MiB + damagedCount++);
      (await stored.create(file.id, file.manifestBytes, info)).close();
      await change(file.id);
      return file.id;
    };
    let damagedCount = 1;
    const ids = [
      // Interrupted start: the record, written last, is missing.
      await damaged((id) => void root.tree.get(id)?.delete('info.json')),
      await damaged((id) => root.setFileBytes(id, 'info.json', new TextEncoder().encode('{"version":1'))),
      await damaged((id) => root.setFileBytes(id, 'manifest', good.manifestBytes)), // another file's manifest
      await damaged((id) => root.setFileBytes(id, 'verified', new Uint8Array(5))),
      await damaged((id) => root.setFileBytes(id, 'data', new Uint8Array(3))),
      await damaged((id) => root.setFileBytes(id, 'manifest', new Uint8Array(300 * 1024))),
    ];
    await root.folder('not-a-file-id', true);

    const found = await new StoredDownloads(root).load();
    expect(found.map((state) => state.fileId)).toEqual([good.id]);
    for (const id of [...ids, 'not-a-file-id']) expect(root.tree.has(id)).toBe(false);
  });

  it('leaves a download it cannot open right now (held elsewhere) in place, and lists the others', async () => {
    const root = new MemoryRoot();
    const [busy, free] = [await fileOf(MiB), await fileOf(MiB + 1)];
    const stored = new StoredDownloads(root);
    const held = await stored.create(busy.id, busy.manifestBytes, info); // still open, as another worker would hold it
    (await stored.create(free.id, free.manifestBytes, info)).close();
    const found = await new StoredDownloads(root).load();
    expect(found.map((state) => state.fileId)).toEqual([free.id]);
    expect(root.tree.has(busy.id)).toBe(true);
    held.close();
    expect((await new StoredDownloads(root).load()).map((state) => state.fileId).sort()).toEqual(
      [busy.id, free.id].sort(),
    );
  });

  it('does not take a download as complete while a piece is missing, whatever its record says', async () => {
    const root = new MemoryRoot();
    const file = await fileOf(2 * MiB);
    const download = await new StoredDownloads(root).create(file.id, file.manifestBytes, info);
    download.close();
    const record = { version: 1, ...info, complete: true };
    root.setFileBytes(file.id, 'info.json', new TextEncoder().encode(JSON.stringify(record)));
    const [state] = await new StoredDownloads(root).load();
    expect(state?.info.complete).toBe(false);
  });

  it('starts afresh over an abandoned attempt, and removes', async () => {
    const root = new MemoryRoot();
    const file = await fileOf(2 * MiB);
    const stored = new StoredDownloads(root);
    const first = await stored.create(file.id, file.manifestBytes, info);
    first.write(0, file.bytes.subarray(0, MiB));
    first.close();
    (await stored.create(file.id, file.manifestBytes, info)).close();
    const [state] = await new StoredDownloads(root).load();
    expect(countBits(state!.verified)).toBe(0);
    await stored.remove(file.id);
    expect(await new StoredDownloads(root).load()).toEqual([]);
  });
});
