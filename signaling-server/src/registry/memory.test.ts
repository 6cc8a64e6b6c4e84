import { describe, expect, it } from 'vitest';
import { MAX_FILES_PER_REGISTER, MAX_PARTIAL_FILES_PER_PEER } from '@shoal/common';
import { bitfield, fileOfPieces, searchParams } from './contract-fixtures.ts';
import { MemoryRegistry } from './memory.ts';
import { describeRegistryContract, file, fileId } from './registry-contract.ts';

describeRegistryContract('MemoryRegistry', () => new MemoryRegistry());

describe('MemoryRegistry options', () => {
  it('takes a smaller per-peer limit', async () => {
    const registry = new MemoryRegistry({ maxFilesPerPeer: 2 });
    expect((await registry.register('p', [file(1, 'a'), file(2, 'b')])).ok).toBe(true);
    const outcome = await registry.register('p', [file(3, 'c')]);
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'TOO_MANY_FILES',
        message: 'a peer may hold at most 2 files, complete or partial; this would make 3',
      },
    });
  });

  it('counts partial holdings toward a smaller per-peer limit', async () => {
    const registry = new MemoryRegistry({ maxFilesPerPeer: 2 });
    await registry.register('seeder', [file(1, 'a'), file(2, 'b')]);
    await registry.register('seeder2', [file(3, 'c')]);
    const one = Uint8Array.of(0x80);
    expect(await registry.register('p', [file(1, 'a')])).toEqual({ ok: true, data: { total: 1 } });
    expect(await registry.announce('p', [{ id: fileId(2), have: one }])).toEqual({ ok: true, data: { partial: 1 } });
    expect(await registry.announce('p', [{ id: fileId(3), have: one }])).toEqual({
      ok: false,
      error: {
        code: 'TOO_MANY_FILES',
        message: 'a peer may hold at most 2 files, complete or partial; this would make 3',
      },
    });
    expect(await registry.register('p', [file(3, 'c')])).toMatchObject({
      ok: false,
      error: { code: 'TOO_MANY_FILES' },
    });
    expect(await registry.register('p', [file(2, 'b')])).toEqual({ ok: true, data: { total: 2 } });
  });

  it('bounds the files one peer holds in part', async () => {
    const registry = new MemoryRegistry();
    const limit = MAX_PARTIAL_FILES_PER_PEER;
    await registry.register(
      'seeder',
      Array.from({ length: limit + 1 }, (_, n) => file(n + 1, `f${n}`)),
    );
    const one = Uint8Array.of(0x80);
    const holdings = Array.from({ length: limit }, (_, n) => ({ id: fileId(n + 1), have: one }));
    for (let at = 0; at < limit; at += 100) {
      expect((await registry.announce('p', holdings.slice(at, at + 100))).ok).toBe(true);
    }
    expect(await registry.announce('p', [{ id: fileId(limit + 1), have: one }])).toMatchObject({
      ok: false,
      error: { code: 'TOO_MANY_FILES' },
    });
    // Withdrawing one makes room again.
    expect((await registry.announce('p', [{ id: fileId(1), have: Uint8Array.of(0) }])).ok).toBe(true);
    expect((await registry.announce('p', [{ id: fileId(limit + 1), have: one }])).ok).toBe(true);
  });

  it('takes Node Buffers (what Socket.IO delivers) and keeps none of them', async () => {
    const registry = new MemoryRegistry();
    await registry.register('seeder', [fileOfPieces(1, 'movie.mkv', 16)]);
    // A Buffer that is a view into a larger pooled one, as a socket may hand over.
    const pool = Buffer.alloc(4096);
    const have = Buffer.from(pool.buffer, pool.byteOffset + 100, 2);
    have.set(bitfield(16, 0, 1, 2, 3));
    expect(await registry.announce('p', [{ id: fileId(1), have }])).toEqual({ ok: true, data: { partial: 1 } });
    pool.fill(0xff);
    await registry.removePeer('seeder');
    const { results } = await registry.search(searchParams('movie', 0, 1));
    expect(results.map((r) => r.availability)).toEqual([0.25]);
    // Withdrawing subtracts the pieces that were counted, not what the buffer holds now.
    await registry.announce('p2', [{ id: fileId(1), have: bitfield(16, 15) }]);
    await registry.announce('p', [{ id: fileId(1), have: bitfield(16) }]);
    const after = await registry.search(searchParams('movie', 0, 1));
    expect(after.results.map((r) => r.availability)).toEqual([1 / 16]);
  });

  it('spreads holder samples over the whole swarm', async () => {
    const registry = new MemoryRegistry({ maxHoldersReturned: 3 });
    for (let i = 0; i < 30; i++) await registry.register(`peer-${i}`, [file(1, 'popular')]);
    const seen = new Set<string>();
    for (let round = 0; round < 200; round++) for (const peer of await registry.holders(fileId(1))) seen.add(peer);
    // Everyone gets asked sometimes, not just the first three to register.
    expect(seen.size).toBe(30);
  });
});

describe('MemoryRegistry clock', () => {
  it('dates a file when it is first registered, by the clock it is given', async () => {
    let now = 5000;
    const registry = new MemoryRegistry({ now: () => now });
    await registry.register('p', [file(1, 'clock one')]);
    now = 1000; // a clock that went back: the order follows the clock, not the arrival
    await registry.register('p', [file(2, 'clock two')]);
    const newest = await registry.search(searchParams('clock', 0, 10, 'newest'));
    expect(newest.results.map((result) => result.name)).toEqual(['clock one', 'clock two']);
    expect(registry.holdingsOf('p')?.complete.map((record) => record.firstSeen)).toEqual([5000, 1000]);
  });
});

describe('MemoryRegistry copies', () => {
  it('restores what holdingsOf gave into another registry, partial-only swarms included', async () => {
    const source = new MemoryRegistry();
    await source.register('seeder', [fileOfPieces(1, 'movie.mkv', 16, { mimeType: 'video/x-matroska' })]);
    await source.register('p', [file(2, 'notes.txt')]);
    await source.announce('p', [{ id: fileId(1), have: bitfield(16, 0, 1) }]);
    await source.announce('q', [{ id: fileId(1), have: bitfield(16, 15) }]);
    // The seeder leaves: the file lives on with its partial holders only, under the name it had.
    await source.removePeer('seeder');

    // The copy's clock is later: files keep the dates the source gave them.
    const copy = new MemoryRegistry({ now: () => Date.now() + 60_000 });
    for (const peer of source.peerIds()) copy.restore(peer, source.holdingsOf(peer) ?? { complete: [], partial: [] });
    for (const peer of source.peerIds()) expect(copy.holdingsOf(peer)).toEqual(source.holdingsOf(peer));
    for (const query of ['movie', 'notes']) {
      expect(await copy.search(searchParams(query, 0, 10))).toEqual(await source.search(searchParams(query, 0, 10)));
    }
    expect(await copy.stats()).toEqual({ peers: 2, files: 2 });
    expect((await copy.holders(fileId(1))).sort()).toEqual(['p', 'q']);
    expect(source.holdingsOf('nobody')).toBeUndefined();
  });

  it('drops a restored bitfield that does not fit the file', async () => {
    const registry = new MemoryRegistry();
    registry.restore('p', {
      complete: [],
      partial: [{ id: fileId(1), name: 'x', size: 16 * 1024 * 1024, mimeType: '', have: Uint8Array.of(0xff) }],
    });
    expect(await registry.stats()).toEqual({ peers: 0, files: 0 });
  });
});

describe('MemoryRegistry removing a peer', () => {
  /** A peer holding `count` files, registered in batches as a client must. */
  async function holderOf(registry: MemoryRegistry, peer: string, count: number, from = 0): Promise<void> {
    for (let at = 0; at < count; at += MAX_FILES_PER_REGISTER) {
      const batch = Array.from({ length: Math.min(MAX_FILES_PER_REGISTER, count - at) }, (_, k) =>
        file(from + at + k, `file ${from + at + k}.bin`),
      );
      expect((await registry.register(peer, batch)).ok).toBe(true);
    }
  }

  it('lets other work run while it releases a peer with many files, and releases them all', async () => {
    const registry = new MemoryRegistry();
    await holderOf(registry, 'big', 4 * MAX_FILES_PER_REGISTER);
    await holderOf(registry, 'other', 1, 10_000);
    let filesMeanwhile: number | null = null;
    const removed = registry.removePeer('big');
    setImmediate(() => void registry.stats().then((stats) => (filesMeanwhile = stats.files)));
    await removed;
    // Something ran in between, and saw the removal under way.
    expect(filesMeanwhile).toBeGreaterThan(1);
    expect(filesMeanwhile).toBeLessThan(4 * MAX_FILES_PER_REGISTER + 1);
    expect(await registry.stats()).toEqual({ peers: 1, files: 1 });
    expect(await registry.search(searchParams('file', 0, 10))).toMatchObject({ total: 1 });
  });

  it('keeps what the peer registers again while it is being removed', async () => {
    const registry = new MemoryRegistry();
    await holderOf(registry, 'p', 3 * MAX_FILES_PER_REGISTER);
    const removed = registry.removePeer('p');
    // A registration that was in flight when the socket closed: a file released already, and one not yet.
    const again = [file(0, 'file 0.bin'), file(3 * MAX_FILES_PER_REGISTER - 1, 'last.bin')];
    expect(await registry.register('p', again)).toEqual({ ok: true, data: { total: 2 } });
    await removed;
    expect(await registry.stats()).toEqual({ peers: 1, files: 2 });
    expect(await registry.holders(fileId(0))).toEqual(['p']);
    expect(await registry.holders(fileId(3 * MAX_FILES_PER_REGISTER - 1))).toEqual(['p']);
    expect((await registry.search(searchParams('last', 0, 10))).total).toBe(1);
    await registry.removePeer('p');
    expect(await registry.stats()).toEqual({ peers: 0, files: 0 });
  });
});
