import { afterEach, describe, expect, it } from 'vitest';
import { MiB, encodeFrame, sha256, toHex } from '@shoal/common';
import { corruptPieces, patternBytes, sharedFileOf, TestSwarm, waitFor } from '../test-support/swarm.ts';

/** SHA-256 of bytes or a Blob: comparing digests is instant where deep-equal on megabytes is slow. */
async function digest(data: Blob | Uint8Array): Promise<string> {
  return toHex(await sha256(data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data));
}

const swarms: TestSwarm[] = [];
function newSwarm(): TestSwarm {
  const swarm = new TestSwarm();
  swarms.push(swarm);
  return swarm;
}

afterEach(() => {
  for (const swarm of swarms.splice(0)) swarm.stop();
});

describe('Download', () => {
  it('fetches, verifies and assembles a multi-piece file from one holder', async () => {
    const original = patternBytes(2.5 * MiB);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    swarm.addHolder('alice', file);
    const download = swarm.start(file.id, original.length);
    const { file: result } = await swarm.completed;
    expect(await digest(result)).toBe(await digest(original));
    expect(download.snapshot()).toMatchObject({ status: 'complete', verifiedBytes: original.length });
  });

  it('completes an empty file from its manifest alone', async () => {
    const file = await sharedFileOf(new Uint8Array(0));
    const swarm = newSwarm();
    swarm.addHolder('alice', file);
    swarm.start(file.id, 0);
    const { file: result } = await swarm.completed;
    expect(result.size).toBe(0);
  });

  it('waits while no holder is online and starts when one appears', async () => {
    const original = patternBytes(1.5 * MiB, 2);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    const download = swarm.start(file.id, original.length);
    await waitFor(() => download.snapshot().status === 'waiting');
    expect(download.snapshot().message).toMatch(/Waiting for a holder/);
    swarm.addHolder('late', file);
    const { file: result } = await swarm.completed;
    expect(await digest(result)).toBe(await digest(original));
  });

  it('drops a holder that corrupts pieces and finishes correctly from an honest one', async () => {
    const original = patternBytes(3 * MiB, 3);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    swarm.addHolder('mallory', file, corruptPieces);
    const download = swarm.start(file.id, original.length, { maxPeers: 1 });
    // With only Mallory around, the download cannot finish and Mallory gets dropped for bad pieces.
    await waitFor(() => swarm.holders.get('mallory')!.links.some((link) => link.closeReason !== null));
    expect(download.snapshot().verifiedBytes).toBe(0);
    swarm.addHolder('alice', file);
    const { file: result } = await swarm.completed;
    expect(await digest(result)).toBe(await digest(original));
    // Mallory was banned: never connected to again after the drop.
    expect(swarm.holders.get('mallory')!.links).toHaveLength(1);
  });

  it('rejects a manifest that does not match the id and takes it from another holder', async () => {
    const original = patternBytes(1 * MiB + 5, 4);
    const file = await sharedFileOf(original);
    const impostor = await sharedFileOf(patternBytes(1 * MiB + 5, 5));
    const swarm = newSwarm();
    // The impostor claims to serve `file` but sends another file's manifest.
    swarm.addHolder('impostor', { ...impostor, id: file.id });
    const download = swarm.start(file.id, original.length, { maxPeers: 1 });
    await waitFor(() => swarm.holders.get('impostor')!.links.some((link) => link.closeReason !== null));
    expect(download.snapshot().status).not.toBe('complete');
    swarm.addHolder('alice', file);
    const { file: result } = await swarm.completed;
    expect(await digest(result)).toBe(await digest(original));
  });

  it('re-issues outstanding requests when a holder leaves mid-transfer', async () => {
    const original = patternBytes(6 * MiB, 6);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    // Alice serves the first two pieces asked of her and then goes quiet, so the download is surely mid-way when
    // she leaves.
    const served = new Set<number>();
    swarm.addHolder('alice', file, (bytes) => {
      if (bytes[0] !== 0x06) return bytes;
      const index = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
      if (served.size < 2) served.add(index);
      return served.has(index) ? bytes : null;
    });
    const download = swarm.start(file.id, original.length, { maxPeers: 1, stallMs: 60_000 });
    await waitFor(() => download.snapshot().verifiedBytes === 2 * MiB);
    swarm.removeHolder('alice');
    // It says why it waits: the lost holder at first, then (once it looked again) that nobody holds the file.
    await waitFor(() => download.snapshot().status === 'waiting');
    expect(download.snapshot().message).toMatch(/Holder lost|No holder is online/);
    swarm.addHolder('bob', file);
    const { file: result } = await swarm.completed;
    expect(await digest(result)).toBe(await digest(original));
  });

  it('drops a holder that sends piece data it was not asked for in that order', async () => {
    const original = patternBytes(2 * MiB, 7);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    // A holder whose piece frames claim an offset ahead of what was sent so far.
    swarm.addHolder('skipper', file, (bytes) => {
      if (bytes[0] !== 0x06) return bytes;
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32(5, 4096);
      return copy;
    });
    const download = swarm.start(file.id, original.length, { maxPeers: 1 });
    await waitFor(() => swarm.holders.get('skipper')!.links.some((link) => link.closeReason !== null));
    expect(download.snapshot().verifiedBytes).toBe(0);
    download.cancel();
  });

  it('ends a link on a malformed frame without applying it', async () => {
    const original = patternBytes(1 * MiB, 8);
    const file = await sharedFileOf(original);
    const swarm = newSwarm();
    swarm.addHolder('alice', file);
    const download = swarm.start(file.id, original.length, { maxPeers: 1 });
    await waitFor(() => swarm.holders.get('alice')!.links.length === 1);
    const holderSide = swarm.holders.get('alice')!.links[0]!;
    await waitFor(() => holderSide.isOpen);
    // A handshake frame cut short, then an unknown frame type.
    holderSide.sendRaw(encodeFrame({ type: 'have', index: 1 }).subarray(0, 3));
    await waitFor(() => holderSide.closeReason !== null);
    expect(download.snapshot().status).not.toBe('complete');
    download.cancel();
    expect(download.snapshot().status).toBe('cancelled');
  });
});
