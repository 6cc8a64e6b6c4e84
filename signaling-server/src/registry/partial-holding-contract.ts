import { MAX_FILES_PER_PEER, MAX_HOLDERS_RETURNED, MiB, countBits, type SearchResult } from '@shoal/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { bitfield, file, fileId, fileOfPieces, pieceRange, searchParams } from './contract-fixtures.ts';
import type { Registry, RegistryStats } from './registry.ts';

/**
 * The partial-holding part of the {@link Registry} contract: `announce`, availability in search results, partial
 * holders in `holders`, and their clean-up. Included by `describeRegistryContract`.
 */
export function describePartialHoldingContract(name: string, create: () => Registry | Promise<Registry>): void {
  describe(`${name}: Registry contract, partial holders`, () => {
    let registry: Registry;
    beforeEach(async () => {
      registry = await create();
    });

    /** The one result a query finds (fails if it finds another number of them). */
    const found = async (query: string): Promise<SearchResult> => {
      const { results } = await registry.search(searchParams(query, 0, 100));
      expect(results).toHaveLength(1);
      return results[0] as SearchResult;
    };
    const swarm = async (query: string) => {
      const { holders, partialHolders, availability } = await found(query);
      return { holders, partialHolders, availability };
    };
    /** Everything a test can observe, to show that a refused request changed nothing. */
    const snapshot = async (): Promise<{ stats: RegistryStats; results: SearchResult[]; holders: string[] }> => ({
      stats: await registry.stats(),
      results: (await registry.search(searchParams('movie', 0, 100))).results,
      holders: (await registry.holders(fileId(1))).sort(),
    });

    describe('announce', () => {
      beforeEach(async () => {
        await registry.register('seeder', [fileOfPieces(1, 'movie.mkv', 10, { mimeType: 'video/x-matroska' })]);
      });

      it('records a partial holder and reports how many files the peer holds part of', async () => {
        expect(await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 0, 9) }])).toEqual({
          ok: true,
          data: { partial: 1 },
        });
        expect(await found('movie')).toEqual({
          id: fileId(1),
          name: 'movie.mkv',
          names: ['movie.mkv'],
          nameCount: 1,
          size: 10 * MiB,
          mimeType: 'video/x-matroska',
          holders: 1,
          partialHolders: 1,
          availability: 1,
        });
        expect(await registry.stats()).toEqual({ peers: 2, files: 1 });
        // Announcing again replaces the bitfield; it is still one file.
        expect(await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 1) }])).toEqual({
          ok: true,
          data: { partial: 1 },
        });
      });

      it('refuses a file nobody holds with UNKNOWN_FILE, changing nothing', async () => {
        await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 3) }]);
        const before = await snapshot();
        const outcome = await registry.announce('p1', [
          { id: fileId(1), have: bitfield(10, 3, 4, 5) },
          { id: fileId(99), have: bitfield(8, 0) },
        ]);
        expect(outcome).toMatchObject({ ok: false, error: { code: 'UNKNOWN_FILE' } });
        if (!outcome.ok) expect(outcome.error.message).toContain(fileId(99));
        expect(await snapshot()).toEqual(before);
        expect((await registry.announce('p2', [{ id: fileId(99), have: bitfield(8, 0) }])).ok).toBe(false);
        expect(await registry.stats()).toEqual(before.stats);
      });

      it('takes withdrawing a file nobody holds as a no-op', async () => {
        expect(await registry.announce('p1', [{ id: fileId(99), have: new Uint8Array(4) }])).toEqual({
          ok: true,
          data: { partial: 0 },
        });
        expect(await registry.stats()).toEqual({ peers: 1, files: 1 });
      });

      it.each([
        ['too short', new Uint8Array(1)],
        ['too long', new Uint8Array(3).fill(0x80)],
        ['a bit past the last piece', Uint8Array.of(0xff, 0x20)],
        ['only a bit past the last piece', Uint8Array.of(0x00, 0x01)],
      ])('refuses a bitfield %s with INVALID_PAYLOAD, changing nothing', async (_case, have) => {
        await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 3) }]);
        const before = await snapshot();
        const outcome = await registry.announce('p1', [{ id: fileId(1), have }]);
        expect(outcome).toEqual({
          ok: false,
          error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining('10 pieces') as unknown as string },
        });
        expect(await snapshot()).toEqual(before);
        expect((await registry.announce('p2', [{ id: fileId(1), have }])).ok).toBe(false);
        expect(await snapshot()).toEqual(before);
      });

      it('is all or nothing: one bad entry refuses the whole batch', async () => {
        await registry.register('seeder', [fileOfPieces(2, 'movie extras.mkv', 3)]);
        await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 3) }]);
        const before = await snapshot();
        const outcome = await registry.announce('p1', [
          { id: fileId(1), have: new Uint8Array(2) }, // a withdrawal
          { id: fileId(2), have: bitfield(3, 0) }, // a new file
          { id: fileId(2), have: bitfield(10, 0) }, // the same file again, with a bitfield of the wrong length
        ]);
        expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
        if (!outcome.ok) expect(outcome.error.message).toMatch(/^files\.2\.have: .*3 pieces/);
        expect(await snapshot()).toEqual(before);
        const extras = await registry.search(searchParams('extras', 0, 10));
        expect(extras.results.map((r) => r.partialHolders)).toEqual([0]);
      });

      it('keeps the last of the same id twice in one batch', async () => {
        expect(
          await registry.announce('p1', [
            { id: fileId(1), have: bitfield(10, 0) },
            { id: fileId(1), have: bitfield(10, 0, 1) },
          ]),
        ).toEqual({ ok: true, data: { partial: 1 } });
        await registry.unregister('seeder', [fileId(1)]);
        expect((await found('movie')).availability).toBe(0.2);
      });

      it('withdraws a partial holding with an all-zero bitfield', async () => {
        await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 0, 1) }]);
        await registry.announce('p2', [{ id: fileId(1), have: bitfield(10, 2) }]);
        expect(await registry.announce('p1', [{ id: fileId(1), have: new Uint8Array(2) }])).toEqual({
          ok: true,
          data: { partial: 0 },
        });
        expect(await swarm('movie')).toEqual({ holders: 1, partialHolders: 1, availability: 1 });
        expect(await registry.stats()).toEqual({ peers: 2, files: 1 });
        await registry.unregister('seeder', [fileId(1)]);
        expect(await swarm('movie')).toEqual({ holders: 0, partialHolders: 1, availability: 0.1 });
        // Withdrawing again, or what was never announced, is a no-op.
        expect((await registry.announce('p1', [{ id: fileId(1), have: new Uint8Array(2) }])).ok).toBe(true);
        expect(await registry.stats()).toEqual({ peers: 1, files: 1 });
        // The last partial holder withdrawing takes the file with it.
        await registry.announce('p2', [{ id: fileId(1), have: new Uint8Array(2) }]);
        expect(await registry.stats()).toEqual({ peers: 0, files: 0 });
        expect(await registry.search(searchParams('movie', 0, 10))).toEqual({ results: [], total: 0 });
      });

      it('ignores pieces announced by a complete holder of the file', async () => {
        expect(await registry.announce('seeder', [{ id: fileId(1), have: bitfield(10, 0) }])).toEqual({
          ok: true,
          data: { partial: 0 },
        });
        expect(await swarm('movie')).toEqual({ holders: 1, partialHolders: 0, availability: 1 });
        // Even a withdrawal leaves the complete holding standing.
        await registry.announce('seeder', [{ id: fileId(1), have: new Uint8Array(2) }]);
        expect(await swarm('movie')).toEqual({ holders: 1, partialHolders: 0, availability: 1 });
      });

      it('turns a partial holding into a complete one when the peer registers the file', async () => {
        await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 0) }]);
        expect(await registry.register('p1', [fileOfPieces(1, 'movie.mkv', 10)])).toEqual({
          ok: true,
          data: { total: 1 },
        });
        expect(await swarm('movie')).toEqual({ holders: 2, partialHolders: 0, availability: 1 });
        expect(await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 5) }])).toEqual({
          ok: true,
          data: { partial: 0 },
        });
        await registry.unregister('seeder', [fileId(1)]);
        expect(await swarm('movie')).toEqual({ holders: 1, partialHolders: 0, availability: 1 });
        expect(await registry.stats()).toEqual({ peers: 1, files: 1 });
      });

      it('copies the bitfields it keeps', async () => {
        const have = bitfield(10, 0, 1, 2, 3);
        // A view into a larger buffer, as a socket may hand one over.
        const buffer = new Uint8Array(64);
        const view = buffer.subarray(10, 12);
        view.set(bitfield(10, 4, 5));
        await registry.announce('p1', [{ id: fileId(1), have }]);
        await registry.announce('p2', [{ id: fileId(1), have: view }]);
        have.fill(0xff);
        buffer.fill(0xff);
        await registry.unregister('seeder', [fileId(1)]);
        expect((await found('movie')).availability).toBe(0.6);
        await registry.announce('p1', [{ id: fileId(1), have: bitfield(10, 0) }]);
        expect((await found('movie')).availability).toBe(0.3);
      });
    });

    describe('availability', () => {
      beforeEach(async () => {
        await registry.register('seeder', [fileOfPieces(1, 'movie.mkv', 8)]);
      });

      it('is 1 with any complete holder, else the share of pieces some partial holder has', async () => {
        await registry.announce('p1', [{ id: fileId(1), have: bitfield(8, 0, 1, 2) }]);
        expect(await swarm('movie')).toEqual({ holders: 1, partialHolders: 1, availability: 1 });
        await registry.removePeer('seeder');
        expect(await swarm('movie')).toEqual({ holders: 0, partialHolders: 1, availability: 0.375 });
        // Complementary halves make a whole.
        await registry.announce('p1', [{ id: fileId(1), have: pieceRange(8, 0, 4) }]);
        await registry.announce('p2', [{ id: fileId(1), have: pieceRange(8, 4, 8) }]);
        expect(await swarm('movie')).toEqual({ holders: 0, partialHolders: 2, availability: 1 });
        // Overlaps count once.
        await registry.announce('p3', [{ id: fileId(1), have: pieceRange(8, 2, 6) }]);
        await registry.announce('p2', [{ id: fileId(1), have: new Uint8Array(1) }]);
        expect(await swarm('movie')).toEqual({ holders: 0, partialHolders: 2, availability: 0.75 });
        await registry.removePeer('p1');
        expect(await swarm('movie')).toEqual({ holders: 0, partialHolders: 1, availability: 0.5 });
        await registry.register('p4', [fileOfPieces(1, 'movie.mkv', 8)]);
        expect(await swarm('movie')).toEqual({ holders: 1, partialHolders: 1, availability: 1 });
      });

      it('keeps a file whose complete holders left findable under the name it had', async () => {
        await registry.register('seeder2', [fileOfPieces(1, 'Film.mkv', 8)]);
        await registry.register('seeder3', [fileOfPieces(1, 'movie.mkv', 8, { size: 8 * MiB - 1 })]);
        // Shown now: the most common name and size. That is what partial holders keep when the others leave.
        await registry.announce('p1', [{ id: fileId(1), have: bitfield(8, 7) }]);
        await registry.announce('p2', [{ id: fileId(1), have: bitfield(8, 6) }]);
        for (const peer of ['seeder', 'seeder2', 'seeder3']) await registry.removePeer(peer);
        expect(await found('movie')).toEqual({
          id: fileId(1),
          name: 'movie.mkv',
          names: ['movie.mkv'],
          nameCount: 1,
          size: 8 * MiB,
          mimeType: '',
          holders: 0,
          partialHolders: 2,
          availability: 0.25,
        });
        expect(await registry.search(searchParams('film', 0, 10))).toEqual({ results: [], total: 0 });
        expect((await registry.holders(fileId(1))).sort()).toEqual(['p1', 'p2']);
      });

      it('checks bitfields against the size the registry shows', async () => {
        // Holders disagree on the size: the most common one (8 pieces) decides until a partial holder exists.
        await registry.register('liar', [fileOfPieces(1, 'movie.mkv', 20)]);
        await registry.register('seeder2', [fileOfPieces(1, 'movie.mkv', 8)]);
        expect((await registry.announce('p1', [{ id: fileId(1), have: bitfield(20, 0) }])).ok).toBe(false);
        expect((await registry.announce('p1', [{ id: fileId(1), have: bitfield(8, 0) }])).ok).toBe(true);
      });

      it('is 1 for an empty file with a holder', async () => {
        await registry.register('seeder', [file(2, 'empty movie.txt', { size: 0 })]);
        const { results } = await registry.search(searchParams('empty', 0, 10));
        expect(results.map((r) => r.availability)).toEqual([1]);
        // An empty file has no pieces, so no bitfield fits it: nobody holds part of it.
        expect((await registry.announce('p1', [{ id: fileId(2), have: Uint8Array.of(0x80) }])).ok).toBe(false);
        expect((await registry.announce('p1', [{ id: fileId(2), have: new Uint8Array(1) }])).ok).toBe(false);
      });

      it('agrees with the union of the bitfields through random changes', async () => {
        let seed = 7;
        const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
        const pieceCount = 37;
        await registry.register('seeder', [fileOfPieces(2, 'random movie.bin', pieceCount)]);
        await registry.announce('anchor', [{ id: fileId(2), have: bitfield(pieceCount, 36) }]);
        await registry.removePeer('seeder');
        const held = new Map<string, Uint8Array>([['anchor', bitfield(pieceCount, 36)]]);
        for (let step = 0; step < 300; step++) {
          const peer = `p${Math.floor(random() * 6)}`;
          const roll = random();
          if (roll < 0.15) {
            await registry.removePeer(peer);
            held.delete(peer);
          } else if (roll < 0.25) {
            await registry.announce(peer, [{ id: fileId(2), have: new Uint8Array(5) }]);
            held.delete(peer);
          } else {
            const have = bitfield(pieceCount);
            for (let i = 0; i < pieceCount; i++) if (random() < 0.2) have[i >> 3]! |= 0x80 >> (i & 7);
            await registry.announce(peer, [{ id: fileId(2), have }]);
            if (countBits(have) > 0) held.set(peer, have);
            else held.delete(peer);
          }
          const union = new Uint8Array(5);
          for (const have of held.values()) have.forEach((byte, i) => (union[i]! |= byte));
          const result = await found('random');
          expect(result.partialHolders).toBe(held.size);
          expect(result.availability).toBe(countBits(union) / pieceCount);
        }
      });
    });

    describe('search ranking', () => {
      it('ranks by complete holders, then partial holders', async () => {
        await registry.register('s1', [fileOfPieces(1, 'song a.ogg', 4), fileOfPieces(2, 'song b.ogg', 4)]);
        await registry.register('s2', [fileOfPieces(3, 'song c.ogg', 4), fileOfPieces(4, 'song d.ogg', 4)]);
        await registry.register('s3', [fileOfPieces(4, 'song d.ogg', 4)]);
        for (const peer of ['p1', 'p2']) await registry.announce(peer, [{ id: fileId(2), have: bitfield(4, 0) }]);
        for (const peer of ['p1', 'p2', 'p3']) await registry.announce(peer, [{ id: fileId(3), have: bitfield(4, 1) }]);
        await registry.unregister('s2', [fileId(3)]);
        const { results } = await registry.search(searchParams('song', 0, 10));
        expect(results.map((r) => [r.name, r.holders, r.partialHolders])).toEqual([
          ['song d.ogg', 2, 0],
          ['song b.ogg', 1, 2],
          ['song a.ogg', 1, 0],
          ['song c.ogg', 0, 3],
        ]);
      });
    });

    describe('holders', () => {
      beforeEach(async () => {
        await registry.register('c1', [fileOfPieces(1, 'movie.mkv', 8)]);
        await registry.register('c2', [fileOfPieces(1, 'movie.mkv', 8)]);
        await registry.announce('few', [{ id: fileId(1), have: pieceRange(8, 0, 2) }]);
        await registry.announce('most', [{ id: fileId(1), have: pieceRange(8, 0, 6) }]);
        await registry.announce('some', [{ id: fileId(1), have: pieceRange(8, 2, 6) }]);
      });

      it('lists complete holders first, then partial holders with the most pieces first', async () => {
        const holders = await registry.holders(fileId(1));
        expect(holders.slice(0, 2).sort()).toEqual(['c1', 'c2']);
        expect(holders.slice(2)).toEqual(['most', 'some', 'few']);
        expect((await registry.holders(fileId(1), 'some')).slice(2)).toEqual(['most', 'few']);
        expect((await registry.holders(fileId(1), 'c1')).slice(1)).toEqual(['most', 'some', 'few']);
        // Updates reorder them.
        await registry.announce('few', [{ id: fileId(1), have: pieceRange(8, 0, 8) }]);
        expect((await registry.holders(fileId(1))).slice(2)).toEqual(['few', 'most', 'some']);
      });

      it('lists partial holders alone when no complete holder is left', async () => {
        await registry.removePeer('c1');
        await registry.unregister('c2', [fileId(1)]);
        expect(await registry.holders(fileId(1))).toEqual(['most', 'some', 'few']);
        expect(await registry.holders(fileId(1), 'most')).toEqual(['some', 'few']);
      });

      it(`returns at most ${MAX_HOLDERS_RETURNED} in all, complete holders before any partial one`, async () => {
        const complete = Array.from({ length: MAX_HOLDERS_RETURNED - 3 }, (_, i) => `complete-${i}`);
        for (const peer of complete) await registry.register(peer, [fileOfPieces(1, 'movie.mkv', 8)]);
        let holders = await registry.holders(fileId(1));
        expect(holders).toHaveLength(MAX_HOLDERS_RETURNED);
        expect(holders.slice(-1)).toEqual(['most']);
        expect(new Set(holders.slice(0, -1))).toEqual(new Set([...complete, 'c1', 'c2']));
        await registry.register('complete-more', [fileOfPieces(1, 'movie.mkv', 8)]);
        holders = await registry.holders(fileId(1));
        expect(holders).toHaveLength(MAX_HOLDERS_RETURNED);
        expect(holders).not.toContain('most');
      });
    });

    describe('clean-up', () => {
      beforeEach(async () => {
        await registry.register('seeder', [fileOfPieces(1, 'movie.mkv', 8), fileOfPieces(2, 'movie two.mkv', 8)]);
        await registry.announce('p1', [
          { id: fileId(1), have: bitfield(8, 0) },
          { id: fileId(2), have: bitfield(8, 1) },
        ]);
        await registry.removePeer('seeder');
      });

      it('unregister removes partial holdings (and counts them)', async () => {
        expect(await registry.unregister('p1', [fileId(1), fileId(3)])).toEqual({ removed: 1 });
        expect(await registry.search(searchParams('movie', 0, 10))).toMatchObject({ total: 1 });
        expect(await registry.holders(fileId(1))).toEqual([]);
        expect(await registry.stats()).toEqual({ peers: 1, files: 1 });
        expect(await registry.unregister('p1', [fileId(2)])).toEqual({ removed: 1 });
        expect(await registry.stats()).toEqual({ peers: 0, files: 0 });
      });

      it('removePeer removes partial holdings and the files only they kept', async () => {
        await registry.announce('p2', [{ id: fileId(2), have: bitfield(8, 2) }]);
        await registry.removePeer('p1');
        expect(await registry.stats()).toEqual({ peers: 1, files: 1 });
        expect(await swarm('movie')).toEqual({ holders: 0, partialHolders: 1, availability: 0.125 });
        await registry.removePeer('p2');
        expect(await registry.stats()).toEqual({ peers: 0, files: 0 });
        expect(await registry.search(searchParams('movie', 0, 10))).toEqual({ results: [], total: 0 });
        // Nothing of it lingers: the file can come back with a different piece count.
        await registry.register('seeder', [fileOfPieces(1, 'movie.mkv', 3)]);
        expect((await registry.announce('p1', [{ id: fileId(1), have: bitfield(3, 0) }])).ok).toBe(true);
      });
    });

    describe(`the ${MAX_FILES_PER_PEER} files limit`, () => {
      it('counts partial holdings with complete ones, all or nothing', async () => {
        const files = Array.from({ length: MAX_FILES_PER_PEER + 2 }, (_, i) => file(i, `file ${i}`));
        for (let from = 0; from < files.length; from += 2000) {
          await registry.register(`seeder-${from}`, files.slice(from, from + 2000));
        }
        const one = Uint8Array.of(0x80);
        const PARTIAL = 100; // one announce call's worth, under the partial-files limit
        // Mostly complete, 100 partial: at the limit.
        expect(await registry.register('p', files.slice(0, MAX_FILES_PER_PEER - PARTIAL))).toMatchObject({ ok: true });
        const partial = files
          .slice(MAX_FILES_PER_PEER - PARTIAL, MAX_FILES_PER_PEER)
          .map(({ id }) => ({ id, have: one }));
        expect(await registry.announce('p', partial)).toEqual({
          ok: true,
          data: { partial: PARTIAL },
        });
        const before = await registry.stats();
        const extra = files[MAX_FILES_PER_PEER] ?? file(0, '');
        const another = files[MAX_FILES_PER_PEER + 1] ?? file(0, '');
        expect(await registry.announce('p', [{ id: extra.id, have: one }])).toMatchObject({
          ok: false,
          error: { code: 'TOO_MANY_FILES' },
        });
        expect(await registry.register('p', [extra])).toMatchObject({ ok: false, error: { code: 'TOO_MANY_FILES' } });
        expect(await registry.stats()).toEqual(before);
        expect((await registry.holders(extra.id)).includes('p')).toBe(false);
        // Updating, completing or trading a held file for another stays within the limit.
        const held = partial[0]?.id ?? '';
        expect((await registry.announce('p', [{ id: held, have: one }])).ok).toBe(true);
        expect(await registry.register('p', [files[MAX_FILES_PER_PEER - PARTIAL] ?? extra])).toEqual({
          ok: true,
          data: { total: MAX_FILES_PER_PEER - PARTIAL + 1 },
        });
        const trade = await registry.announce('p', [
          { id: partial[1]?.id ?? '', have: new Uint8Array(1) },
          { id: another.id, have: one },
        ]);
        expect(trade).toEqual({ ok: true, data: { partial: PARTIAL - 1 } });
        expect((await registry.holders(another.id)).includes('p')).toBe(true);
      });
    });
  });
}
