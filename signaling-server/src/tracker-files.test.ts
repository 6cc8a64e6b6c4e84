import { PROTOCOL_VERSION, type FileRegistration } from '@shoal/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, fileId, request, startTracker, type Harness } from './test-support/tracker-harness.ts';
import { MemoryRegistry } from './registry/memory.ts';
import { RegistryClosingError } from './registry/registry.ts';

const iceServers = [{ urls: 'stun:stun.example.org:3478' }];

function file(n: number, name: string): FileRegistration {
  return { id: fileId(n), name, size: 100 * n, mimeType: 'text/plain' };
}

describe('tracker: files', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startTracker({ config: { iceServers } });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('welcomes each connection with its peer id, the protocol version and the ICE servers', async () => {
    const a = await harness.connect();
    const b = await harness.connect();
    expect(a.welcome).toEqual({ protocolVersion: PROTOCOL_VERSION, peerId: a.socket.id, iceServers, trackerUrls: [] });
    expect(b.peerId).toBe(b.socket.id);
    expect(b.peerId).not.toBe(a.peerId);
  });

  it('works over HTTP long-polling as well as WebSocket', async () => {
    const polling = await harness.connect({ transport: 'polling' });
    const websocket = await harness.connect();
    expect(await request(polling, 'files:register', { files: [file(1, 'polled.txt')] })).toEqual({
      ok: true,
      data: { total: 1 },
    });
    const found = await request(websocket, 'files:search', { query: 'polled' });
    expect(found.ok && found.data.total).toBe(1);
  });

  it('registers files that others then find by name', async () => {
    const alice = await harness.connect();
    const bob = await harness.connect();
    expect(
      await request(alice, 'files:register', { files: [file(1, 'Ångström notes.txt'), file(2, 'b.txt')] }),
    ).toEqual({
      ok: true,
      data: { total: 2 },
    });
    expect(await request(bob, 'files:search', { query: 'angstrom no' })).toEqual({
      ok: true,
      data: {
        total: 1,
        results: [
          {
            id: fileId(1),
            name: 'Ångström notes.txt',
            names: ['Ångström notes.txt'],
            nameCount: 1,
            size: 100,
            mimeType: 'text/plain',
            holders: 1,
            partialHolders: 0,
            availability: 1,
          },
        ],
      },
    });
  });

  it('applies search defaults and pages', async () => {
    const alice = await harness.connect();
    const files = Array.from({ length: 60 }, (_, i) => file(i + 1, `song ${String(i).padStart(2, '0')}.mp3`));
    await request(alice, 'files:register', { files });
    const first = await request(alice, 'files:search', { query: 'song' });
    expect(first.ok && first.data.results.length).toBe(50);
    const last = await request(alice, 'files:search', { query: 'song', offset: 55, limit: 10 });
    expect(last.ok && last.data.results.map((r) => r.name)).toEqual(
      ['55', '56', '57', '58', '59'].map((n) => `song ${n}.mp3`),
    );
  });

  it('unregisters only the sender’s own holdings', async () => {
    const alice = await harness.connect();
    const bob = await harness.connect();
    await request(alice, 'files:register', { files: [file(1, 'alice.txt')] });
    await request(bob, 'files:register', { files: [file(2, 'bob.txt')] });
    expect(await request(bob, 'files:unregister', { fileIds: [fileId(1)] })).toEqual({
      ok: true,
      data: { removed: 0 },
    });
    expect(await request(alice, 'files:unregister', { fileIds: [fileId(1)] })).toEqual({
      ok: true,
      data: { removed: 1 },
    });
    const found = await request(bob, 'files:search', { query: 'txt' });
    expect(found.ok && found.data.results.map((r) => r.name)).toEqual(['bob.txt']);
  });

  it('forgets a peer’s files when it disconnects', async () => {
    const alice = await harness.connect();
    const bob = await harness.connect();
    await request(alice, 'files:register', { files: [file(1, 'leaving.txt')] });
    await request(bob, 'files:register', { files: [file(1, 'leaving.txt')] });
    alice.socket.disconnect();
    await eventually(async () => {
      const found = await request(bob, 'files:search', { query: 'leaving' });
      expect(found.ok && found.data.results[0]?.holders).toBe(1);
    });
    bob.socket.disconnect();
    await eventually(async () => expect(await harness.tracker.registry.stats()).toEqual({ peers: 0, files: 0 }));
  });

  it('lists holders other than the asker', async () => {
    const alice = await harness.connect();
    const bob = await harness.connect();
    const carol = await harness.connect();
    await request(alice, 'files:register', { files: [file(1, 'shared.bin')] });
    await request(carol, 'files:register', { files: [file(1, 'shared.bin')] });
    const forBob = await request(bob, 'files:holders', { fileId: fileId(1) });
    expect(forBob.ok && { ...forBob.data, holders: [...forBob.data.holders].sort() }).toEqual({
      fileId: fileId(1),
      holders: [alice.peerId, carol.peerId].sort(),
    });
    expect(await request(alice, 'files:holders', { fileId: fileId(1) })).toEqual({
      ok: true,
      data: { fileId: fileId(1), holders: [carol.peerId] },
    });
    expect(await request(alice, 'files:holders', { fileId: fileId(9) })).toEqual({
      ok: true,
      data: { fileId: fileId(9), holders: [] },
    });
  });

  it('keeps different names for one file and shows the most common', async () => {
    const peers = await Promise.all([harness.connect(), harness.connect(), harness.connect()]);
    const names = ['cat.jpg', 'IMG_1.jpg', 'IMG_1.jpg'];
    await Promise.all(peers.map((peer, i) => request(peer, 'files:register', { files: [file(1, names[i] ?? '')] })));
    const found = await request(peers[0]!, 'files:search', { query: 'jpg' });
    expect(found.ok && found.data.results.map((r) => [r.name, r.holders])).toEqual([['IMG_1.jpg', 3]]);
    const byOther = await request(peers[0]!, 'files:search', { query: 'cat' });
    expect(byOther.ok && byOther.data.results.map((r) => r.name)).toEqual(['cat.jpg']);
  });
});

describe('tracker: a peer’s removal that fails', () => {
  /** A registry that cannot remove peers: closing for the first, broken for the others. */
  class FailingRemovals extends MemoryRegistry {
    private removals = 0;
    override async removePeer(): Promise<void> {
      throw this.removals++ === 0 ? new RegistryClosingError() : new Error('Redis is down');
    }
  }

  it('is logged as an error, unless the registry is closing (removals are not waited for then)', async () => {
    const harness = await startTracker({ registry: new FailingRemovals() });
    try {
      const first = await harness.connect();
      first.socket.disconnect();
      await eventually(() =>
        expect(harness.logs.some((line) => line.msg === 'closed before removing a peer here')).toBe(true),
      );
      expect(harness.logs.filter((line) => line.level >= 50)).toEqual([]);
      const second = await harness.connect();
      second.socket.disconnect();
      await eventually(() =>
        expect(harness.logs.filter((line) => line.level >= 50).map((line) => [line.msg, line.err?.message])).toEqual([
          ['could not remove the holdings of a disconnected peer', 'Redis is down'],
        ]),
      );
    } finally {
      await harness.close();
    }
  });
});
