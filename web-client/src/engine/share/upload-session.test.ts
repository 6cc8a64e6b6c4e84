import { afterEach, describe, expect, it } from 'vitest';
import { MiB, RejectReason, WIRE_VERSION, type Frame } from '@shoal/common';
import { memoryLinkPair, type MemoryLink } from '../test-support/memory-link.ts';
import { patternBytes, sharedFileOf, waitFor } from '../test-support/swarm.ts';
import { completeSource } from './piece-source.ts';
import { UploadSession } from './upload-session.ts';
import { UploadSlots, type SlotTiming } from './upload-slots.ts';
import { UploadThrottle } from './upload-throttle.ts';

/** A downloader-side link to a holder serving `bytes`, with every frame the holder sends collected. */
async function serve(bytes: Uint8Array) {
  const file = await sharedFileOf(bytes);
  const [downloader, holder] = memoryLinkPair('downloader', 'holder', file.id);
  const received: Frame[] = [];
  downloader.attach({ open: () => {}, frame: (frame) => received.push(frame), close: () => {} });
  new UploadSession(holder, completeSource(file), () => {});
  holder.open();
  downloader.open();
  return { file, downloader, holder, received };
}

function handshake(downloader: MemoryLink, fileId: string): void {
  downloader.send({ type: 'handshake', version: WIRE_VERSION, fileId, complete: false, bitfield: new Uint8Array(0) });
}

describe('UploadSession', () => {
  it('answers a handshake, the manifest and piece requests', async () => {
    const bytes = patternBytes(1 * MiB + 10);
    const { file, downloader, received } = await serve(bytes);
    handshake(downloader, file.id);
    downloader.send({ type: 'manifestRequest' });
    downloader.send({ type: 'request', index: 1 });
    await waitFor(() => received.filter((frame) => frame.type === 'piece').length === 1);
    expect(received[0]).toMatchObject({ type: 'handshake', fileId: file.id, complete: true });
    const manifest = received.find((frame) => frame.type === 'manifest');
    expect(manifest).toMatchObject({ totalLength: file.manifestBytes.length, offset: 0 });
    const piece = received.find((frame) => frame.type === 'piece');
    expect(piece).toMatchObject({ index: 1, offset: 0 });
    expect(piece?.type === 'piece' && Array.from(piece.data)).toEqual(Array.from(bytes.subarray(MiB)));
  });

  it('ends the link on a frame before the handshake', async () => {
    const { downloader, holder } = await serve(patternBytes(10));
    downloader.send({ type: 'request', index: 0 });
    await waitFor(() => holder.closeReason !== null);
    expect(holder.closeReason).toBe('frame before handshake');
  });

  it('ends the link on a handshake for another file', async () => {
    const { downloader, holder } = await serve(patternBytes(10));
    handshake(downloader, 'ab'.repeat(32));
    await waitFor(() => holder.closeReason !== null);
    expect(holder.closeReason).toMatch(/another file/);
  });

  it('rejects requests for pieces that do not exist and keeps serving the rest', async () => {
    const { file, downloader, received } = await serve(patternBytes(1 * MiB + 1));
    handshake(downloader, file.id);
    downloader.send({ type: 'request', index: 7 });
    for (let i = 0; i < 80; i++) downloader.send({ type: 'request', index: i % 2 });
    await waitFor(() => received.some((frame) => frame.type === 'reject'));
    expect(received).toContainEqual({ type: 'reject', index: 7, reason: RejectReason.notAvailable });
    await waitFor(() => received.filter((frame) => frame.type === 'piece').length >= 2);
  });

  it('sends the manifest once and ends a link that asks again', async () => {
    const { file, downloader, holder, received } = await serve(patternBytes(10));
    handshake(downloader, file.id);
    downloader.send({ type: 'manifestRequest' });
    // The second ask once the first answer is here: closing the link may otherwise overtake the manifest in flight.
    await waitFor(() => received.some((frame) => frame.type === 'manifest'));
    downloader.send({ type: 'manifestRequest' });
    // The manifest sent before the link closed is still on its way when it closes.
    await waitFor(() => holder.closeReason !== null && received.some((frame) => frame.type === 'manifest'));
    expect(holder.closeReason).toBe('asked for the manifest twice');
    expect(received.filter((frame) => frame.type === 'manifest')).toHaveLength(1);
  });
});

/** Holders of `bytes` for several downloaders, all sessions sharing one page's slots (and throttle, if given). */
async function servePage(bytes: Uint8Array, slots: UploadSlots, throttle?: UploadThrottle) {
  const file = await sharedFileOf(bytes);
  const downloaders = new Map<string, { link: MemoryLink; holder: MemoryLink; received: Frame[] }>();
  return {
    file,
    /** A downloader `id` connects and handshakes. */
    connect(id: string) {
      const [link, holder] = memoryLinkPair(id, 'holder', file.id);
      const received: Frame[] = [];
      link.attach({ open: () => {}, frame: (frame) => received.push(frame), close: () => {} });
      new UploadSession(holder, completeSource(file), () => {}, { slots, throttle });
      holder.open();
      link.open();
      handshake(link, file.id);
      downloaders.set(id, { link, holder, received });
      return { link, holder, received };
    },
  };
}

const pieces = (frames: Frame[]) => frames.filter((frame) => frame.type === 'piece');
const bytesOf = (frames: Frame[]) =>
  frames.reduce((sum, frame) => sum + (frame.type === 'piece' ? frame.data.length : 0), 0);
const slotFrames = (frames: Frame[]) => frames.filter((frame) => frame.type === 'queued' || frame.type === 'serving');

describe('UploadSession with upload slots', () => {
  const opened: UploadSlots[] = [];
  afterEach(() => {
    for (const slots of opened.splice(0)) slots.close();
  });
  function newSlots(count: number, timing: Partial<SlotTiming> = {}) {
    const slots = new UploadSlots(count, { timing });
    opened.push(slots);
    return slots;
  }

  it('queues a downloader beyond the slots, tells it its place, and serves it once the slot frees', async () => {
    const page = await servePage(patternBytes(2 * MiB), newSlots(1));
    const first = page.connect('first');
    first.link.send({ type: 'request', index: 0 });
    await waitFor(() => pieces(first.received).length > 0);
    const second = page.connect('second');
    second.link.send({ type: 'manifestRequest' });
    second.link.send({ type: 'request', index: 1 });
    await waitFor(() => slotFrames(second.received).length === 1);
    expect(slotFrames(second.received)).toEqual([{ type: 'queued', place: 1 }]);
    // The handshake and the manifest are answered whatever the slot.
    expect(second.received[0]).toMatchObject({ type: 'handshake', complete: true });
    await waitFor(() => second.received.some((frame) => frame.type === 'manifest'));
    expect(pieces(second.received)).toHaveLength(0);

    first.link.close('done');
    await waitFor(() => slotFrames(second.received).length === 2);
    expect(slotFrames(second.received)[1]).toEqual({ type: 'serving' });
    second.link.send({ type: 'request', index: 1 });
    await waitFor(() => bytesOf(pieces(second.received)) === MiB);
    expect(pieces(second.received).every((frame) => frame.type === 'piece' && frame.index === 1)).toBe(true);
  });

  it('drops the requests of a queued downloader without rejecting them or ending the link', async () => {
    const page = await servePage(patternBytes(2 * MiB), newSlots(1));
    const first = page.connect('first');
    first.link.send({ type: 'request', index: 0 });
    const second = page.connect('second');
    second.link.send({ type: 'request', index: 0 });
    await waitFor(() => slotFrames(second.received).length === 1);
    for (let i = 0; i < 100; i++) second.link.send({ type: 'request', index: i % 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(second.received.filter((frame) => frame.type === 'piece' || frame.type === 'reject')).toEqual([]);
    expect(second.holder.isOpen).toBe(true);
    expect(slotFrames(second.received)).toEqual([{ type: 'queued', place: 1 }]);
  });

  it('moves the places of waiting downloaders up when one ahead leaves', async () => {
    const page = await servePage(patternBytes(1 * MiB), newSlots(1));
    const ids = ['a', 'b', 'c'];
    const links = ids.map((id) => page.connect(id));
    for (const { link } of links) link.send({ type: 'request', index: 0 });
    await waitFor(() => slotFrames(links[2]!.received).length === 1);
    expect(slotFrames(links[1]!.received)).toEqual([{ type: 'queued', place: 1 }]);
    expect(slotFrames(links[2]!.received)).toEqual([{ type: 'queued', place: 2 }]);
    links[1]!.link.close('cancelled');
    await waitFor(() => slotFrames(links[2]!.received).length === 2);
    expect(slotFrames(links[2]!.received)[1]).toEqual({ type: 'queued', place: 1 });
  });

  it('ends the piece going out before telling a downloader whose turn is over its place', async () => {
    // 2 MiB/s: eight 1 MiB pieces take over three seconds, and turns last 50 ms.
    const slots = newSlots(1, { turnMs: 50, tickMs: 10 });
    const page = await servePage(patternBytes(8 * MiB), slots, new UploadThrottle(2 * MiB));
    const first = page.connect('first');
    for (let index = 0; index < 8; index++) first.link.send({ type: 'request', index });
    await waitFor(() => pieces(first.received).length > 0);
    const second = page.connect('second');
    second.link.send({ type: 'request', index: 0 });
    await waitFor(() => slotFrames(first.received).length >= 1, 5_000);
    const at = first.received.findIndex((frame) => frame.type === 'queued');
    // Before its place, only whole pieces, and not all of them; after it, nothing more.
    const bytesBefore = new Map<number, number>();
    for (const frame of first.received.slice(0, at)) {
      if (frame.type === 'piece') bytesBefore.set(frame.index, (bytesBefore.get(frame.index) ?? 0) + frame.data.length);
    }
    expect([...bytesBefore.values()].every((bytes) => bytes === MiB)).toBe(true);
    expect(bytesBefore.size).toBeLessThan(8);
    await waitFor(() => slotFrames(second.received).some((frame) => frame.type === 'serving'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pieces(first.received.slice(at + 1))).toEqual([]);
  });
});
