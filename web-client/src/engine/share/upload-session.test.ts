import { describe, expect, it } from 'vitest';
import { MiB, RejectReason, WIRE_VERSION, type Frame } from '@shoal/common';
import { memoryLinkPair, type MemoryLink } from '../test-support/memory-link.ts';
import { patternBytes, sharedFileOf, waitFor } from '../test-support/swarm.ts';
import { completeSource } from './piece-source.ts';
import { UploadSession } from './upload-session.ts';

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
    await waitFor(() => holder.closeReason !== null);
    expect(holder.closeReason).toBe('asked for the manifest twice');
    expect(received.filter((frame) => frame.type === 'manifest')).toHaveLength(1);
  });
});
