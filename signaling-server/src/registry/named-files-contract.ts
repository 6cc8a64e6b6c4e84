import { beforeEach, describe, expect, it } from 'vitest';
import { parseSearchQuery, type SearchQuery } from '@shoal/common';
import { bitfield, file, fileId, fileOfPieces, searchParams } from './contract-fixtures.ts';
import type { NamedFile, Registry } from './registry.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function query(text: string): SearchQuery {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw new Error(parsed.hint);
  return parsed.query;
}

/**
 * The part of the {@link Registry} contract that watches and share links rest on: `lookup` of one file by id,
 * `onFileNamed`, told when content becomes findable under a name, and the catch-up of a watch (`clock` and
 * `firstRegisteredSince`). Included by `describeRegistryContract`.
 */
export function describeNamedFilesContract(name: string, create: () => Registry | Promise<Registry>): void {
  describe(`${name}: Registry contract, lookup and named files`, () => {
    let registry: Registry;
    let heard: NamedFile[];
    beforeEach(async () => {
      registry = await create();
      heard = [];
      registry.onFileNamed((named) => heard.push(named));
    });

    describe('lookup', () => {
      it('shows a file as a search would, by its most common name, or nothing', async () => {
        expect(await registry.lookup(fileId(1))).toBeUndefined();
        await registry.register('p1', [file(1, 'sunset.jpg', { size: 5, mimeType: 'image/jpeg' })]);
        await registry.register('p2', [file(1, 'sunset.jpg', { size: 5, mimeType: 'image/jpeg' })]);
        await registry.register('p3', [file(1, 'other name.jpg', { size: 5 })]);
        expect(await registry.lookup(fileId(1))).toEqual({
          id: fileId(1),
          name: 'sunset.jpg',
          names: ['sunset.jpg', 'other name.jpg'],
          nameCount: 2,
          size: 5,
          mimeType: 'image/jpeg',
          holders: 3,
          partialHolders: 0,
          availability: 1,
        });
        await registry.removePeer('p1');
        await registry.removePeer('p2');
        await registry.removePeer('p3');
        expect(await registry.lookup(fileId(1))).toBeUndefined();
      });

      it('counts partial holders and their availability', async () => {
        await registry.register('seeder', [fileOfPieces(2, 'movie.mkv', 8)]);
        await registry.announce('leech', [{ id: fileId(2), have: bitfield(8, 0, 1) }]);
        await registry.removePeer('seeder');
        expect(await registry.lookup(fileId(2))).toMatchObject({
          name: 'movie.mkv',
          holders: 0,
          partialHolders: 1,
          availability: 0.25,
        });
      });
    });

    describe('onFileNamed', () => {
      it('tells of a new file with the name, size and type it was registered under', async () => {
        const before = registry.clock();
        await registry.register('p1', [file(1, 'Sunset beach.jpg', { size: 7, mimeType: 'image/jpeg' })]);
        expect(heard).toEqual([
          {
            id: fileId(1),
            name: 'Sunset beach.jpg',
            size: 7,
            mimeType: 'image/jpeg',
            registrant: 'p1',
          },
        ]);
        // Dated in the registry's clock: between a reading before and one after (a millisecond may pass between).
        const firstSeen = (await registry.lookupDated(fileId(1)))?.firstSeen;
        expect(firstSeen).toBeGreaterThanOrEqual(before);
        expect(firstSeen).toBeLessThanOrEqual(registry.clock());
      });

      it('names the registrant of each new name, and the file keeps its first registration time', async () => {
        await registry.register('p1', [file(1, 'a.jpg')]);
        const first = await registry.lookupDated(fileId(1));
        await sleep(5);
        await registry.register('p2', [file(1, 'b.jpg')]);
        expect(heard.map(({ name, registrant }) => [name, registrant])).toEqual([
          ['a.jpg', 'p1'],
          ['b.jpg', 'p2'],
        ]);
        expect((await registry.lookupDated(fileId(1)))?.firstSeen).toBe(first?.firstSeen);
        expect(await registry.lookupDated(fileId(2))).toBeUndefined();
      });

      it('tells of a new name for a known file, never of a name it already had', async () => {
        await registry.register('p1', [file(1, 'a.jpg')]);
        await registry.register('p2', [file(1, 'a.jpg')]);
        await registry.register('p1', [file(1, 'a.jpg')]);
        expect(heard.map((named) => named.name)).toEqual(['a.jpg']);
        await registry.register('p3', [file(1, 'b.jpg')]);
        // p1 renames its copy: 'c.jpg' is new, 'a.jpg' stays (p2 still has it under that name).
        await registry.register('p1', [file(1, 'c.jpg')]);
        expect(heard.map((named) => named.name)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
      });

      it('tells again when content nobody held comes back', async () => {
        await registry.register('p1', [file(1, 'back.txt')]);
        await registry.unregister('p1', [fileId(1)]);
        await registry.register('p2', [file(1, 'back.txt')]);
        await registry.removePeer('p2');
        await registry.register('p3', [file(1, 'back.txt')]);
        expect(heard.map((named) => named.name)).toEqual(['back.txt', 'back.txt', 'back.txt']);
      });

      it('says nothing of partial holders, refusals and removals', async () => {
        await registry.register('seeder', [fileOfPieces(1, 'movie.mkv', 8)]);
        heard.length = 0;
        await registry.announce('leech', [{ id: fileId(1), have: bitfield(8, 3) }]);
        await registry.announce('leech', [{ id: fileId(9), have: bitfield(8, 3) }]);
        await registry.unregister('seeder', [fileId(1)]);
        await registry.removePeer('leech');
        expect(heard).toEqual([]);
      });

      it('tells of every file of a batch, once each', async () => {
        await registry.register('p1', [file(1, 'one'), file(2, 'two'), file(1, 'one')]);
        expect(heard.map((named) => named.id).sort()).toEqual([fileId(1), fileId(2)]);
      });

      it('stops when unsubscribed, and a listener that throws breaks nothing', async () => {
        const stop = registry.onFileNamed(() => {
          throw new Error('listener failure');
        });
        expect(await registry.register('p1', [file(1, 'first')])).toEqual({ ok: true, data: { total: 1 } });
        stop();
        await registry.register('p1', [file(2, 'second')]);
        expect(heard.map((named) => named.name)).toEqual(['first', 'second']);
        expect((await registry.search(searchParams('first'))).total).toBe(1);
      });
    });

    describe('firstRegisteredSince', () => {
      it('finds the matching files first registered since a time, newest first, at most as many as asked', async () => {
        await registry.register('p1', [file(1, 'sunset old.jpg')]);
        const since = ((await registry.lookupDated(fileId(1)))?.firstSeen ?? 0) + 1;
        await sleep(5);
        await registry.register('p2', [file(2, 'sunset one.jpg'), file(3, 'forest.jpg')]);
        await sleep(5);
        await registry.register('p1', [file(4, 'sunset two.jpg')]);
        // A new name of a file registered before is not a file registered since.
        await registry.register('p3', [file(1, 'sunset again.jpg')]);
        const found = await registry.firstRegisteredSince(query('sunset'), since, 10);
        expect(found.map(({ file }) => file.name)).toEqual(['sunset two.jpg', 'sunset one.jpg']);
        const [two, one] = found;
        expect(two?.firstSeen).toBeGreaterThan(one?.firstSeen ?? Infinity);
        expect(one?.firstSeen).toBeGreaterThanOrEqual(since);
        // That millisecond included.
        const fromOne = await registry.firstRegisteredSince(query('sunset'), one?.firstSeen ?? 0, 10);
        expect(fromOne.map(({ file }) => file.name)).toEqual(['sunset two.jpg', 'sunset one.jpg']);
        expect(two?.file).toMatchObject({ id: fileId(4), holders: 1 });
        expect(two?.firstSeen).toBe((await registry.lookupDated(fileId(4)))?.firstSeen);
        expect((await registry.firstRegisteredSince(query('sunset'), since, 1)).map(({ file }) => file.name)).toEqual([
          'sunset two.jpg',
        ]);
        // Gone meanwhile: not found; a time to come finds nothing.
        await registry.unregister('p1', [fileId(4)]);
        expect((await registry.firstRegisteredSince(query('sunset'), since, 10)).map(({ file }) => file.name)).toEqual([
          'sunset one.jpg',
        ]);
        expect(await registry.firstRegisteredSince(query('sunset'), registry.clock() + 60_000, 10)).toEqual([]);
      });
    });
  });
}
