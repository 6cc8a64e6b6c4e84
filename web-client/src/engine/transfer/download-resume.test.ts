import { afterEach, describe, expect, it } from 'vitest';
import { MiB, countBits, hasBit, sha256, toHex } from '@shoal/common';
import { LocalDownloadStorage } from '../test-support/local-download-storage.ts';
import { MemoryRoot } from '../test-support/memory-root.ts';
import { patternBytes, sharedFileOf, TestSwarm, waitFor } from '../test-support/swarm.ts';
import type { SharedFile } from '../share/shared-file.ts';
import { MemoryPieceStore } from '../storage/memory-piece-store.ts';
import type { Download } from './download.ts';

const swarms: TestSwarm[] = [];
afterEach(() => {
  for (const swarm of swarms.splice(0)) swarm.stop();
});

/**
 * A swarm of one holder of `file`. With `servedPieces`, the holder sends nothing of pieces from that index on, so a
 * test can act on a download part-way through without racing it to the end.
 */
function swarmWith(file: SharedFile, servedPieces?: number): TestSwarm {
  const swarm = new TestSwarm();
  swarms.push(swarm);
  const PIECE_FRAME = 0x06;
  const holdBack = (bytes: Uint8Array) =>
    bytes[0] === PIECE_FRAME && new DataView(bytes.buffer, bytes.byteOffset).getUint32(1) >= servedPieces!
      ? null
      : bytes;
  swarm.addHolder('alice', file, servedPieces === undefined ? undefined : holdBack);
  return swarm;
}

async function digest(data: Blob | Uint8Array): Promise<string> {
  return toHex(await sha256(data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data));
}

/** Starts a download stored in `storage`, the way the engine does. */
function startStored(swarm: TestSwarm, file: SharedFile, storage: LocalDownloadStorage): Download {
  return swarm.start(
    file.id,
    file.manifest.size,
    { maxPipeline: 2 },
    {
      createStore: (manifest, manifestBytes) =>
        storage.create({ fileId: file.id, name: file.name, mimeType: '', manifest, manifestBytes }),
    },
  );
}

describe('a download kept in storage', () => {
  it('goes on after a reload from the pieces verified before, fetching none of them again', async () => {
    const original = patternBytes(12 * MiB);
    const file = await sharedFileOf(original, 'big.bin');
    const root = new MemoryRoot();
    const before = swarmWith(file, 6);
    const first = startStored(before, file, await LocalDownloadStorage.open(root));
    await waitFor(() => first.snapshot().verifiedBytes >= 4 * MiB);
    first.close(); // the page goes away
    before.stop();

    const storage = await LocalDownloadStorage.open(root); // the page loads again
    const [stored] = storage.stored;
    expect(stored).toMatchObject({ fileId: file.id, name: 'big.bin', paused: false, file: null });
    const restored = countBits(stored!.verified);
    expect(restored).toBeGreaterThanOrEqual(4);
    expect(restored).toBeLessThan(12);

    const after = swarmWith(file);
    const store = await storage.resume(stored!);
    const resumed = after.start(
      file.id,
      file.manifest.size,
      {},
      {
        resume: { ...stored!, store },
      },
    );
    expect(resumed.snapshot().verifiedBytes).toBe(restored * MiB);
    const { file: result } = await after.completed;
    expect(await digest(result)).toBe(await digest(original));
    const sent = after.stats.snapshot()[file.id] ?? {};
    for (let index = 0; index < 12; index++) {
      expect(sent[index] ?? 0, `piece ${index}`).toBe(hasBit(stored!.verified, index) ? 0 : 1);
    }
    expect(resumed.restoredPieces).toEqual(stored!.verified);

    // Finished, it is listed as a complete file on the next load.
    const [complete] = (await LocalDownloadStorage.open(root)).stored;
    expect(complete?.file?.size).toBe(original.length);
  });

  it('stays paused across a reload until resumed', async () => {
    const file = await sharedFileOf(patternBytes(6 * MiB), 'paused.bin');
    const root = new MemoryRoot();
    const swarm = swarmWith(file, 3);
    const download = startStored(swarm, file, await LocalDownloadStorage.open(root));
    await waitFor(() => download.snapshot().verifiedBytes >= MiB);
    download.pause();
    expect(download.snapshot()).toMatchObject({ status: 'paused', peers: 0 });
    // The pause is written to storage (asynchronously), so a reload finds it.
    const record = () => new TextDecoder().decode(root.fileBytes(file.id, 'info.json'));
    await waitFor(() => record().includes('"paused":true'));
    download.close();

    const storage = await LocalDownloadStorage.open(root);
    const [stored] = storage.stored;
    expect(stored?.paused).toBe(true);
    const again = swarmWith(file);
    const resumed = again.start(
      file.id,
      file.manifest.size,
      {},
      {
        resume: { ...stored!, store: await storage.resume(stored!) },
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(resumed.snapshot().status).toBe('paused');
    expect(again.stats.snapshot()[file.id]).toBeUndefined();
    resumed.resume();
    const { file: result } = await again.completed;
    expect(result.size).toBe(6 * MiB);
  });

  it('frees its storage when cancelled', async () => {
    const file = await sharedFileOf(patternBytes(6 * MiB), 'cancelled.bin');
    const root = new MemoryRoot();
    const swarm = swarmWith(file, 3);
    const download = startStored(swarm, file, await LocalDownloadStorage.open(root));
    await waitFor(() => download.snapshot().verifiedBytes >= MiB);
    download.cancel();
    await waitFor(() => !root.tree.has(file.id));
    expect((await LocalDownloadStorage.open(root)).stored).toEqual([]);
  });

  it('fails, blaming no peer, when storage stops taking pieces', async () => {
    const file = await sharedFileOf(patternBytes(4 * MiB), 'full.bin');
    const swarm = swarmWith(file);
    const download = swarm.start(
      file.id,
      file.manifest.size,
      {},
      {
        createStore: async (manifest) => {
          const store = new MemoryPieceStore(manifest);
          store.verifyAndWrite = () => Promise.reject(new Error('Not enough browser storage for it'));
          return store;
        },
      },
    );
    await waitFor(() => download.snapshot().status === 'failed');
    expect(download.snapshot().message).toBe('Could not store the download: Not enough browser storage for it');
    expect(download.snapshot().peers).toBe(0);
  });

  it('fails with the reason when storage refuses it', async () => {
    const file = await sharedFileOf(patternBytes(2 * MiB), 'nowhere.bin');
    const swarm = swarmWith(file);
    const download = swarm.start(
      file.id,
      file.manifest.size,
      {},
      {
        createStore: () => Promise.reject(new Error('QuotaExceededError')),
      },
    );
    await waitFor(() => download.snapshot().status === 'failed');
    expect(download.snapshot().message).toMatch(/Could not store the download: QuotaExceededError/);
  });
});
