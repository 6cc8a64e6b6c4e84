import { MAX_SOURCES_RETURNED } from '@shoal/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { bitfield, file, fileId, fileOfPieces } from './contract-fixtures.ts';
import type { Registry } from './registry.ts';

/** The part of the registry contract about display names and the sources of a file (`setName`, `sources`). */
export function describeDisplayNameContract(name: string, create: () => Registry | Promise<Registry>): void {
  describe(`${name}: display names and sources`, () => {
    let registry: Registry;
    beforeEach(async () => {
      registry = await create();
    });

    it('lists the holders of a file with their names, complete holders first, never the asker', async () => {
      await registry.setName('seeder', 'Quiet Otter 42');
      await registry.setName('asker', 'Curious Fox 7');
      await registry.setName('leecher', 'Quiet Otter 42');
      await registry.register('seeder', [fileOfPieces(1, 'film.mkv', 8)]);
      await registry.register('asker', [fileOfPieces(1, 'film.mkv', 8)]);
      await registry.register('unnamed', [fileOfPieces(1, 'film.mkv', 8)]);
      expect((await registry.announce('leecher', [{ id: fileId(1), have: bitfield(8, 0, 1) }])).ok).toBe(true);

      const sources = await registry.sources(fileId(1), 'asker');
      expect(sources.slice(0, 2).sort((a, b) => a.peerId.localeCompare(b.peerId))).toEqual([
        { peerId: 'seeder', name: 'Quiet Otter 42', complete: true },
        { peerId: 'unnamed', name: null, complete: true },
      ]);
      // Two peers may go by one name: they stay two sources, told apart by peer id.
      expect(sources[2]).toEqual({ peerId: 'leecher', name: 'Quiet Otter 42', complete: false });
      expect(sources).toHaveLength(3);
      expect(await registry.sources(fileId(99))).toEqual([]);
    });

    it('replaces a name, and keeps it whether or not the peer holds anything', async () => {
      await registry.setName('p1', 'Old Name');
      await registry.setName('p1', 'New Name');
      expect(await registry.stats()).toEqual({ peers: 0, files: 0 });
      await registry.register('p1', [file(1, 'a.txt')]);
      expect(await registry.sources(fileId(1))).toEqual([{ peerId: 'p1', name: 'New Name', complete: true }]);
      await registry.unregister('p1', [fileId(1)]);
      await registry.register('p1', [file(2, 'b.txt')]);
      expect(await registry.sources(fileId(2))).toEqual([{ peerId: 'p1', name: 'New Name', complete: true }]);
    });

    it('forgets the name with the peer', async () => {
      await registry.setName('p1', 'Gone Soon');
      await registry.register('p1', [file(1, 'a.txt')]);
      await registry.removePeer('p1');
      await registry.setName('p2', 'Stays');
      // The same id coming back (as a test can make it) has no name until it tells one again.
      await registry.register('p1', [file(1, 'a.txt')]);
      expect(await registry.sources(fileId(1))).toEqual([{ peerId: 'p1', name: null, complete: true }]);
      await registry.removePeer('nobody');
    });

    it(`returns at most ${MAX_SOURCES_RETURNED} sources`, async () => {
      for (let n = 0; n < MAX_SOURCES_RETURNED + 10; n++) {
        await registry.setName(`p${n}`, `Peer ${n}`);
        await registry.register(`p${n}`, [file(1, 'popular.mp3')]);
      }
      const sources = await registry.sources(fileId(1));
      expect(sources).toHaveLength(MAX_SOURCES_RETURNED);
      for (const source of sources) expect(source.name).toBe(`Peer ${source.peerId.slice(1)}`);
      expect(new Set(sources.map((source) => source.peerId)).size).toBe(MAX_SOURCES_RETURNED);
    });
  });
}
