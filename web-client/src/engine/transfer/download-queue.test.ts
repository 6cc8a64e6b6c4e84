import { afterEach, describe, expect, it } from 'vitest';
import { MiB, sha256, toHex } from '@shoal/common';
import { UploadSlots, type SlotTiming } from '../share/upload-slots.ts';
import { UploadThrottle } from '../share/upload-throttle.ts';
import { patternBytes, sharedFileOf, TestSwarm, waitFor } from '../test-support/swarm.ts';
import type { Download } from './download.ts';

async function digest(data: Blob | Uint8Array): Promise<string> {
  return toHex(await sha256(data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data));
}

const swarms: TestSwarm[] = [];
const slotsOpened: UploadSlots[] = [];
afterEach(() => {
  for (const swarm of swarms.splice(0)) swarm.stop();
  for (const slots of slotsOpened.splice(0)) slots.close();
});

function newSwarm(): TestSwarm {
  const swarm = new TestSwarm();
  swarms.push(swarm);
  return swarm;
}

/** A holder page's serving side: `count` slots and an upload cap. */
function serving(count: number, bytesPerSecond: number, timing: Partial<SlotTiming> = {}) {
  const slots = new UploadSlots(count, { timing });
  slotsOpened.push(slots);
  return { slots, throttle: new UploadThrottle(bytesPerSecond) };
}

/** Resolves with the download's file once it is complete. */
async function completed(download: Download, timeoutMs = 20_000): Promise<Blob> {
  await waitFor(() => download.file !== null, timeoutMs);
  return download.file!;
}

describe('Download from holders with upload slots', () => {
  it('with one slot and two downloaders, the second is queued with its place and completes after the first', async () => {
    const original = patternBytes(4 * MiB, 11);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    // 8 MiB/s: the first download takes about half a second, longer than the downloaders' stall time (500 ms).
    swarm.addHolder('alice', file, undefined, serving(1, 8 * MiB));
    const first = swarm.start(file.id, original.length, { maxPeers: 1 }, { downloaderId: 'first' });
    await waitFor(() => first.snapshot().status === 'downloading');
    const second = swarm.start(file.id, original.length, { maxPeers: 1 }, { downloaderId: 'second' });
    await waitFor(() => second.snapshot().status === 'queued');
    expect(second.snapshot()).toMatchObject({
      queue: [{ peerId: 'alice', place: 1 }],
      message: 'Queued at 1 source (place 1)',
      verifiedBytes: 0,
    });
    expect(first.snapshot().queue).toEqual([]);

    const [firstFile, secondFile] = await Promise.all([completed(first), completed(second)]);
    expect(swarm.finished).toEqual([first, second]);
    expect(await digest(firstFile)).toBe(await digest(original));
    expect(await digest(secondFile)).toBe(await digest(original));
    // Waiting in the queue longer than the stall time did not make the second drop alice and connect again.
    expect(swarm.holders.get('alice')!.links).toHaveLength(2);
    expect(second.snapshot().sources).toEqual([{ peerId: 'alice', bytes: original.length, connected: false }]);
  });

  it('takes pieces from other holders while queued at one', async () => {
    const original = patternBytes(8 * MiB, 12);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    // Alice is busy with a slow downloader for as long as this test runs; Bob has room, and is slow enough (about two
    // seconds for the file) that the download asks Alice too.
    swarm.addHolder('alice', file, undefined, serving(1, 1 * MiB));
    swarm.addHolder('bob', file, undefined, serving(4, 4 * MiB));
    const slow = swarm.start(file.id, original.length, { maxPeers: 1 }, { downloaderId: 'slow' });
    await waitFor(() => slow.snapshot().status === 'downloading');
    const queued = swarm.start(file.id, original.length, {}, { downloaderId: 'queued' });
    let sawQueue = false;
    await waitFor(() => {
      sawQueue ||= queued.snapshot().queue.some((entry) => entry.peerId === 'alice' && entry.place === 1);
      return queued.file !== null;
    }, 20_000);
    expect(sawQueue).toBe(true);
    expect(await digest(queued.file!)).toBe(await digest(original));
    expect(queued.snapshot().sources.map((source) => source.peerId)).toEqual(['bob']);
    expect(slow.file).toBeNull();
  });

  it('at its peer limit and queued everywhere, leaves the longest queue for a holder with a free slot', async () => {
    const original = patternBytes(4 * MiB, 15);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    // Alice's one slot is taken by a slow downloader for longer than this test runs.
    swarm.addHolder('alice', file, undefined, serving(1, 512 * 1024));
    const slow = swarm.start(file.id, original.length, { maxPeers: 1 }, { downloaderId: 'slow' });
    await waitFor(() => slow.snapshot().status === 'downloading');
    const tuning = { maxPeers: 1, retryMs: 100, tickMs: 50 };
    const queued = swarm.start(file.id, original.length, tuning, { downloaderId: 'queued' });
    await waitFor(() => queued.snapshot().status === 'queued');
    swarm.addHolder('bob', file, undefined, serving(4, 8 * MiB));
    expect(await digest(await completed(queued))).toBe(await digest(original));
    expect(
      queued
        .snapshot()
        .sources.filter((source) => source.bytes > 0)
        .map((source) => source.peerId),
    ).toEqual(['bob']);
    expect(slow.file).toBeNull();
  });

  it('goes back to downloading from a holder once it serves us', async () => {
    const original = patternBytes(3 * MiB, 13);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    swarm.addHolder('alice', file, undefined, serving(1, 4 * MiB));
    const first = swarm.start(file.id, original.length, { maxPeers: 1 }, { downloaderId: 'first' });
    await waitFor(() => first.snapshot().verifiedBytes > 0);
    const second = swarm.start(file.id, original.length, { maxPeers: 1 }, { downloaderId: 'second' });
    await waitFor(() => second.snapshot().status === 'queued');
    first.cancel(); // its link closes: the slot passes to the second
    await waitFor(() => second.snapshot().status === 'downloading' && second.snapshot().queue.length === 0);
    expect(await digest(await completed(second))).toBe(await digest(original));
  });

  it('shares one slot round-robin: each downloader is queued in turn, and both arrive intact', async () => {
    const original = patternBytes(6 * MiB, 14);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    // 4 MiB/s (a 1 MiB piece in a quarter of a second) in turns of 400 ms: a turn passes several times.
    swarm.addHolder('alice', file, undefined, serving(1, 4 * MiB, { turnMs: 400, tickMs: 20 }));
    const tuning = { maxPeers: 1, stallMs: 5_000 };
    const first = swarm.start(file.id, original.length, tuning, { downloaderId: 'first' });
    await waitFor(() => first.snapshot().status === 'downloading');
    const second = swarm.start(file.id, original.length, tuning, { downloaderId: 'second' });
    let firstQueuedWhileSecondServed = false;
    let secondQueued = false;
    await waitFor(() => {
      const [a, b] = [first.snapshot(), second.snapshot()];
      secondQueued ||= b.status === 'queued';
      firstQueuedWhileSecondServed ||= a.status === 'queued' && b.verifiedBytes > 0 && b.status === 'downloading';
      return first.file !== null && second.file !== null;
    }, 20_000);
    expect(secondQueued).toBe(true);
    expect(firstQueuedWhileSecondServed).toBe(true);
    expect(await digest(first.file!)).toBe(await digest(original));
    expect(await digest(second.file!)).toBe(await digest(original));
    // Nobody was dropped for waiting: one link per downloader.
    expect(swarm.holders.get('alice')!.links).toHaveLength(2);
  });
});
