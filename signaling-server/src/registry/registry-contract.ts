import { MAX_FILES_PER_PEER, MAX_HOLDERS_RETURNED } from '@shoal/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { file, fileId, searchParams } from './contract-fixtures.ts';
import { describeDisplayNameContract } from './display-name-contract.ts';
import { describeNamedFilesContract } from './named-files-contract.ts';
import { describePartialHoldingContract } from './partial-holding-contract.ts';
import type { Registry } from './registry.ts';
import { describeSearchContract } from './search-contract.ts';

export { file, fileId } from './contract-fixtures.ts';

/**
 * The behaviour every {@link Registry} implementation must have. Each implementation's test file calls this with a
 * factory for fresh, empty registries. Partial holdings (`announce`) and search filters and orders have their own
 * parts of the contract, included.
 */
export function describeRegistryContract(name: string, create: () => Registry | Promise<Registry>): void {
  describePartialHoldingContract(name, create);
  describeSearchContract(name, create);
  describeDisplayNameContract(name, create);
  describeNamedFilesContract(name, create);
  describe(`${name}: Registry contract`, () => {
    let registry: Registry;
    beforeEach(async () => {
      registry = await create();
    });

    const names = async (query: string) =>
      (await registry.search(searchParams(query, 0, 100))).results.map((r) => r.name);

    describe('register', () => {
      it('records files and reports the peer total', async () => {
        expect(await registry.register('p1', [file(1, 'alpha.txt'), file(2, 'beta.txt')])).toEqual({
          ok: true,
          data: { total: 2 },
        });
        expect(await registry.register('p1', [file(2, 'beta.txt'), file(3, 'gamma.txt')])).toEqual({
          ok: true,
          data: { total: 3 },
        });
        expect(await registry.stats()).toEqual({ peers: 1, files: 3 });
      });

      it('counts an id repeated in one batch once, keeping the last', async () => {
        const outcome = await registry.register('p1', [file(1, 'first name'), file(1, 'second name')]);
        expect(outcome).toEqual({ ok: true, data: { total: 1 } });
        expect(await names('first')).toEqual([]);
        expect(await names('second')).toEqual(['second name']);
      });

      it('replaces name, size and type when the same peer registers a file again', async () => {
        await registry.register('p1', [file(1, 'old title.mkv', { size: 5, mimeType: 'video/x-matroska' })]);
        await registry.register('p1', [file(1, 'new title.mp4', { size: 5, mimeType: 'video/mp4' })]);
        expect(await names('old')).toEqual([]);
        const { results } = await registry.search(searchParams('new', 0, 10));
        expect(results).toEqual([
          {
            id: fileId(1),
            name: 'new title.mp4',
            names: ['new title.mp4'],
            nameCount: 1,
            size: 5,
            mimeType: 'video/mp4',
            holders: 1,
            partialHolders: 0,
            availability: 1,
          },
        ]);
      });

      it(`allows ${MAX_FILES_PER_PEER} files per peer, all or nothing`, async () => {
        const batch = (from: number, count: number) =>
          Array.from({ length: count }, (_, i) => file(from + i, `file ${from + i}`));
        for (let from = 0; from < MAX_FILES_PER_PEER; from += 2000) {
          expect((await registry.register('p1', batch(from, 2000))).ok).toBe(true);
        }
        // One new file past the limit: refused, nothing changed (not even the existing file's new name).
        const over = await registry.register('p1', [file(0, 'renamed'), file(MAX_FILES_PER_PEER, 'one too many')]);
        expect(over.ok).toBe(false);
        if (!over.ok) expect(over.error.code).toBe('TOO_MANY_FILES');
        expect(await names('renamed')).toEqual([]);
        expect(await names('many')).toEqual([]);
        expect(await registry.stats()).toEqual({ peers: 1, files: MAX_FILES_PER_PEER });
        // Re-registering files already held is fine at the limit; other peers are not affected.
        expect(await registry.register('p1', [file(0, 'renamed')])).toEqual({
          ok: true,
          data: { total: MAX_FILES_PER_PEER },
        });
        expect((await registry.register('p2', [file(MAX_FILES_PER_PEER, 'other peer')])).ok).toBe(true);
      });

      it('refuses a first batch that is over the limit on its own', async () => {
        const batch = Array.from({ length: MAX_FILES_PER_PEER + 1 }, (_, i) => file(i, `f${i}`));
        expect((await registry.register('p1', batch)).ok).toBe(false);
        expect(await registry.stats()).toEqual({ peers: 0, files: 0 });
      });
    });

    describe('unregister and removePeer', () => {
      it('removes only the peer’s own holdings', async () => {
        await registry.register('p1', [file(1, 'mine.txt'), file(2, 'shared.txt')]);
        await registry.register('p2', [file(2, 'shared.txt'), file(3, 'theirs.txt')]);
        expect(await registry.unregister('p1', [fileId(3), fileId(2), fileId(99)])).toEqual({ removed: 1 });
        expect(await names('theirs')).toEqual(['theirs.txt']);
        const shared = await registry.search(searchParams('shared', 0, 10));
        expect(shared.results.map((r) => r.holders)).toEqual([1]);
        expect(await registry.unregister('p9', [fileId(1)])).toEqual({ removed: 0 });
        expect(await names('mine')).toEqual(['mine.txt']);
      });

      it('counts an id repeated in one call once', async () => {
        await registry.register('p1', [file(1, 'a')]);
        expect(await registry.unregister('p1', [fileId(1), fileId(1)])).toEqual({ removed: 1 });
      });

      it('drops an entry, and its words, with its last holder', async () => {
        await registry.register('p1', [file(1, 'zanzibar.jpg')]);
        await registry.register('p2', [file(1, 'zanzibar.jpg')]);
        await registry.unregister('p1', [fileId(1)]);
        expect(await names('zanz')).toEqual(['zanzibar.jpg']);
        await registry.removePeer('p2');
        expect(await registry.search(searchParams('zanz', 0, 10))).toEqual({ results: [], total: 0 });
        expect(await registry.holders(fileId(1))).toEqual([]);
        expect(await registry.stats()).toEqual({ peers: 0, files: 0 });
      });

      it('forgets everything a removed peer held and nothing else', async () => {
        await registry.register('p1', [file(1, 'one'), file(2, 'two')]);
        await registry.register('p2', [file(2, 'two')]);
        await registry.removePeer('p1');
        await registry.removePeer('unknown');
        expect(await registry.stats()).toEqual({ peers: 1, files: 1 });
        expect(await registry.holders(fileId(2))).toEqual(['p2']);
        // The peer can start over.
        expect(await registry.register('p1', [file(1, 'one')])).toEqual({ ok: true, data: { total: 1 } });
      });
    });

    describe('search', () => {
      beforeEach(async () => {
        await registry.register('p1', [
          file(1, 'Big Buck Bunny.mp4', { mimeType: 'video/mp4' }),
          file(2, 'Ångström units.pdf'),
          file(3, '🎵 Summer mix 2024.mp3'),
          file(4, 'Привет мир.txt'),
          file(5, 'buckwheat recipes.md'),
        ]);
      });

      it('finds nothing for a blank query', async () => {
        for (const query of ['', '   ', '...', ' - ']) {
          expect(await registry.search(searchParams(query, 0, 10))).toEqual({ results: [], total: 0 });
        }
      });

      it('matches the last word as a prefix, earlier words exactly', async () => {
        expect(await names('bun')).toEqual(['Big Buck Bunny.mp4']);
        expect((await names('buck')).sort()).toEqual(['Big Buck Bunny.mp4', 'buckwheat recipes.md']);
        expect(await names('buck bun')).toEqual(['Big Buck Bunny.mp4']);
        expect(await names('buc bunny')).toEqual([]);
      });

      it('ignores case and accents', async () => {
        expect(await names('angstrom')).toEqual(['Ångström units.pdf']);
        expect(await names('ANGSTRÖM')).toEqual(['Ångström units.pdf']);
        expect(await names('привет')).toEqual(['Привет мир.txt']);
      });

      it('finds emoji and Unicode names', async () => {
        expect(await names('🎵')).toEqual(['🎵 Summer mix 2024.mp3']);
        expect(await names('summer 20')).toEqual(['🎵 Summer mix 2024.mp3']);
        expect(await names('мир')).toEqual(['Привет мир.txt']);
      });

      it('describes each result', async () => {
        const { results, total } = await registry.search(searchParams('bunny', 0, 10));
        expect(total).toBe(1);
        expect(results).toEqual([
          {
            id: fileId(1),
            name: 'Big Buck Bunny.mp4',
            names: ['Big Buck Bunny.mp4'],
            nameCount: 1,
            size: 1001,
            mimeType: 'video/mp4',
            holders: 1,
            partialHolders: 0,
            availability: 1,
          },
        ]);
      });

      it('ranks whole words first, then more holders, then name', async () => {
        await registry.register('p1', [file(6, 'buck.txt'), file(7, 'a buck.txt')]);
        await registry.register('p2', [file(5, 'buckwheat recipes.md'), file(6, 'buck.txt')]);
        // Whole word "buck": two holders first, then by name; the prefix-only match last despite its two holders.
        expect(await names('buck')).toEqual(['buck.txt', 'a buck.txt', 'Big Buck Bunny.mp4', 'buckwheat recipes.md']);
      });

      it('pages through the results', async () => {
        await registry.register(
          'p2',
          Array.from({ length: 30 }, (_, i) => file(100 + i, `track ${String(i).padStart(2, '0')}.ogg`)),
        );
        const page = async (offset: number) => registry.search(searchParams('track', offset, 12));
        const pages = [await page(0), await page(12), await page(24), await page(36)];
        expect(pages.map((p) => p.total)).toEqual([30, 30, 30, 30]);
        expect(pages.map((p) => p.results.length)).toEqual([12, 12, 6, 0]);
        const all = pages.flatMap((p) => p.results.map((r) => r.name));
        expect(all).toEqual(Array.from({ length: 30 }, (_, i) => `track ${String(i).padStart(2, '0')}.ogg`));
      });
    });

    describe('when holders disagree', () => {
      it('shows the most common name and size', async () => {
        await registry.register('p1', [file(1, 'holiday.jpg', { size: 10 })]);
        await registry.register('p2', [file(1, 'IMG_0001.jpg', { size: 10 })]);
        await registry.register('p3', [file(1, 'IMG_0001.jpg', { size: 99 })]);
        await registry.register('p4', [file(1, 'IMG_0001.jpg', { size: 10 })]);
        const { results } = await registry.search(searchParams('jpg', 0, 10));
        expect(results).toEqual([
          {
            id: fileId(1),
            name: 'IMG_0001.jpg',
            names: ['IMG_0001.jpg', 'holiday.jpg'],
            nameCount: 2,
            size: 10,
            mimeType: '',
            holders: 4,
            partialHolders: 0,
            availability: 1,
          },
        ]);
      });

      it('prefers a name that matches the query', async () => {
        await registry.register('p1', [file(1, 'holiday.jpg')]);
        await registry.register('p2', [file(1, 'IMG_0001.jpg')]);
        await registry.register('p3', [file(1, 'IMG_0001.jpg')]);
        expect(await names('holi')).toEqual(['holiday.jpg']);
        expect(await names('img')).toEqual(['IMG_0001.jpg']);
      });

      it('follows renames and departures', async () => {
        await registry.register('p1', [file(1, 'draft.txt')]);
        await registry.register('p2', [file(1, 'final.txt')]);
        await registry.register('p3', [file(1, 'final.txt')]);
        expect(await names('txt')).toEqual(['final.txt']);
        await registry.removePeer('p2');
        await registry.register('p3', [file(1, 'draft.txt')]);
        expect(await names('txt')).toEqual(['draft.txt']);
        expect(await names('final')).toEqual([]);
      });
    });

    describe('holders', () => {
      it('lists holders other than the asker', async () => {
        await registry.register('p1', [file(1, 'x')]);
        await registry.register('p2', [file(1, 'x')]);
        await registry.register('p3', [file(2, 'y')]);
        expect((await registry.holders(fileId(1))).sort()).toEqual(['p1', 'p2']);
        expect(await registry.holders(fileId(1), 'p1')).toEqual(['p2']);
        expect(await registry.holders(fileId(2), 'p3')).toEqual([]);
        expect(await registry.holders(fileId(42))).toEqual([]);
      });

      it(`returns at most ${MAX_HOLDERS_RETURNED}, all distinct and real`, async () => {
        const peers = Array.from({ length: MAX_HOLDERS_RETURNED + 20 }, (_, i) => `peer-${i}`);
        for (const peer of peers) await registry.register(peer, [file(1, 'popular.iso')]);
        const holders = await registry.holders(fileId(1), 'peer-0');
        expect(holders).toHaveLength(MAX_HOLDERS_RETURNED);
        expect(new Set(holders).size).toBe(MAX_HOLDERS_RETURNED);
        expect(holders).not.toContain('peer-0');
        for (const holder of holders) expect(peers).toContain(holder);
      });
    });
  });
}
