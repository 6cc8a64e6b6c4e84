import { FOLDER_MIME_TYPE, MAX_RESULT_NAMES, MiB, type SearchSort } from '@shoal/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { bitfield, file, fileId, searchParams } from './contract-fixtures.ts';
import type { Registry } from './registry.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Search with filters and orders, the part of the {@link Registry} contract that `files:search` relies on: every
 * implementation answers the same queries alike.
 */
export function describeSearchContract(name: string, create: () => Registry | Promise<Registry>): void {
  describe(`${name}: Registry contract, search filters and orders`, () => {
    let registry: Registry;
    beforeEach(async () => {
      registry = await create();
    });

    const search = (text: string, sort: SearchSort = 'relevance', offset = 0, limit = 100) =>
      registry.search(searchParams(text, offset, limit, sort));
    const names = async (text: string, sort: SearchSort = 'relevance') =>
      (await search(text, sort)).results.map((result) => result.name);

    describe('filters', () => {
      beforeEach(async () => {
        await registry.register('p1', [
          file(1, 'harbour at night.mp4', { size: 40 * MiB, mimeType: 'video/mp4' }),
          file(2, 'harbour at dawn.mkv', { size: 3 * 1024 * MiB }),
          file(3, 'harbour guide.pdf', { size: 2 * MiB, mimeType: 'application/pdf' }),
          file(4, 'night harbour sounds.flac', { size: 30 * MiB }),
          file(5, 'old harbour photos', { size: 0, mimeType: FOLDER_MIME_TYPE }),
          file(6, 'recording', { size: 5 * MiB, mimeType: 'audio/ogg' }),
        ]);
      });

      it('narrows words by kind, extension and size', async () => {
        expect((await names('harbour type:video')).sort()).toEqual(['harbour at dawn.mkv', 'harbour at night.mp4']);
        expect(await names('harbour type:document')).toEqual(['harbour guide.pdf']);
        expect(await names('harbour type:folder')).toEqual(['old harbour photos']);
        expect(await names('harbour ext:mkv')).toEqual(['harbour at dawn.mkv']);
        expect(await names('harbour size:>1GB')).toEqual(['harbour at dawn.mkv']);
        expect((await names('harbour size:1MB..50MB')).sort()).toEqual([
          'harbour at night.mp4',
          'harbour guide.pdf',
          'night harbour sounds.flac',
        ]);
      });

      it('answers filters without words', async () => {
        expect((await names('type:audio')).sort()).toEqual(['night harbour sounds.flac', 'recording']);
        expect(await names('type:video size:>1GB')).toEqual(['harbour at dawn.mkv']);
        expect(await names('ext:pdf')).toEqual(['harbour guide.pdf']);
        expect((await search('type:image')).total).toBe(0);
      });

      it('matches phrases in order and leaves out excluded words and phrases', async () => {
        expect(await names('"harbour at night"')).toEqual(['harbour at night.mp4']);
        expect(await names('"night harbour"')).toEqual(['night harbour sounds.flac']);
        expect((await names('harbour -night')).sort()).toEqual([
          'harbour at dawn.mkv',
          'harbour guide.pdf',
          'old harbour photos',
        ]);
        expect(await names('night -"at night"')).toEqual(['night harbour sounds.flac']);
      });

      it('keeps the last word a prefix when only filters follow it', async () => {
        expect(await names('type:document harb')).toEqual(['harbour guide.pdf']);
        expect(await names('harb type:document')).toEqual(['harbour guide.pdf']);
        expect(await names('harb guide type:document')).toEqual([]);
      });

      it('finds nothing for an empty query, and everything a size alone allows', async () => {
        expect(await search('   ')).toEqual({ results: [], total: 0 });
        expect((await search('size:<1GB')).total).toBe(5);
      });

      it('counts and pages filtered matches without gaps or repeats', async () => {
        await registry.register(
          'p2',
          Array.from({ length: 25 }, (_, i) => file(100 + i, `tide ${String(i).padStart(2, '0')}.mp3`, { size: i })),
        );
        const seen: string[] = [];
        for (let offset = 0; offset < 30; offset += 7) {
          const page = await search('type:audio size:<20', 'size', offset, 7);
          expect(page.total).toBe(20);
          seen.push(...page.results.map((result) => result.name));
        }
        expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `tide ${String(19 - i).padStart(2, '0')}.mp3`));
      });
    });

    describe('orders', () => {
      it('sorts by size, by sources and by relevance', async () => {
        await registry.register('p1', [
          file(1, 'lake small.jpg', { size: 10 }),
          file(2, 'lake big.jpg', { size: 3000 }),
          file(3, 'lake medium.jpg', { size: 200 }),
        ]);
        await registry.register('p2', [file(3, 'lake medium.jpg', { size: 200 })]);
        await registry.announce('p3', [{ id: fileId(1), have: bitfield(1, 0) }]);
        await registry.announce('p4', [{ id: fileId(1), have: bitfield(1, 0) }]);
        expect(await names('lake', 'size')).toEqual(['lake big.jpg', 'lake medium.jpg', 'lake small.jpg']);
        // Sources count partial holders too: 1 complete + 2 partial beats 2 complete.
        expect(await names('lake', 'sources')).toEqual(['lake small.jpg', 'lake medium.jpg', 'lake big.jpg']);
        // Relevance puts complete holders first.
        expect(await names('lake')).toEqual(['lake medium.jpg', 'lake small.jpg', 'lake big.jpg']);
      });

      it('sorts by when the content was first registered, newest first', async () => {
        await registry.register('p1', [file(1, 'river first.txt')]);
        await sleep(5);
        await registry.register('p2', [file(2, 'river second.txt')]);
        await sleep(5);
        await registry.register('p1', [file(3, 'river third.txt')]);
        await sleep(5);
        // Another holder, and its first holder leaving, do not make the first file new again.
        await registry.register('p3', [file(1, 'river first.txt')]);
        await registry.unregister('p1', [fileId(1)]);
        expect(await names('river', 'newest')).toEqual(['river third.txt', 'river second.txt', 'river first.txt']);
        // Gone and shared again, it is new.
        await registry.removePeer('p3');
        await sleep(5);
        await registry.register('p4', [file(1, 'river first.txt')]);
        expect(await names('river', 'newest')).toEqual(['river first.txt', 'river third.txt', 'river second.txt']);
      });
    });

    describe('names', () => {
      it(`lists up to ${MAX_RESULT_NAMES} names, most common first, and how many there are`, async () => {
        const given = ['b.mp4', 'a.mp4', 'a.mp4', 'c.mp4', 'c.mp4', 'c.mp4', 'd.mp4', 'e.mp4', 'f.mkv'];
        for (const [i, given_] of given.entries()) await registry.register(`p${i}`, [file(1, given_)]);
        const { results } = await search('mp4');
        expect(results).toHaveLength(1);
        expect(results[0]).toMatchObject({
          name: 'c.mp4',
          names: ['c.mp4', 'a.mp4', 'b.mp4', 'd.mp4', 'e.mp4'],
          nameCount: 6,
          holders: given.length,
        });
        // The name shown is one that matches the query on its own, when there is one.
        expect((await search('ext:mkv')).results.map((result) => result.name)).toEqual(['f.mkv']);
      });
    });
  });
}
