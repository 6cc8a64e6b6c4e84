import { beforeEach, describe, expect, it } from 'vitest';
import { bitfield, file, fileId, fileOfPieces, searchParams } from './contract-fixtures.ts';
import type { NamedFile, Registry } from './registry.ts';

/**
 * The part of the {@link Registry} contract that watches and share links rest on: `lookup` of one file by id, and
 * `onFileNamed`, told when content becomes findable under a name. Included by `describeRegistryContract`.
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
        await registry.register('p1', [file(1, 'Sunset beach.jpg', { size: 7, mimeType: 'image/jpeg' })]);
        expect(heard).toEqual([{ id: fileId(1), name: 'Sunset beach.jpg', size: 7, mimeType: 'image/jpeg' }]);
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
  });
}
