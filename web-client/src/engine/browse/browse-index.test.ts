import { describe, expect, it } from 'vitest';
import {
  browsePageMismatch,
  browseReplySchema,
  type BrowseEntry,
  type BrowseQuery,
  type FolderListing,
} from '@shoal/common';
import { BrowseIndex, type BrowsableFolder } from './browse-index.ts';

const id = (n: number) => n.toString(16).padStart(64, '0');

function folder(listingId: number, listing: FolderListing): BrowsableFolder {
  return { listingId: id(listingId), listingSize: 1000 + listingId, listing };
}

/** Asks the index and checks the answer as the tracker would before handing it on. */
function page(index: BrowseIndex, query: BrowseQuery): { entries: BrowseEntry[]; total: number } {
  const reply = index.page(query);
  expect(browseReplySchema.safeParse(reply).success).toBe(true);
  if (!reply.ok) throw new Error(reply.error.message);
  expect(browsePageMismatch(query, reply.data)).toBeNull();
  return reply.data;
}

const names = (entries: BrowseEntry[]) => entries.map((entry) => `${entry.kind}:${entry.name}`);

const trip: FolderListing = {
  name: 'summer trip',
  files: [
    { path: 'read me.txt', id: id(1), size: 10 },
    { path: 'photos/beach 10.jpg', id: id(2), size: 200 },
    { path: 'photos/beach 2.jpg', id: id(3), size: 300 },
    { path: 'photos/raw/IMG_1.cr2', id: id(4), size: 4000 },
    { path: 'Docs/deep/deeper/notes.md', id: id(5), size: 5 },
  ],
  emptyFolders: ['nothing here', 'photos/empty'],
};

describe('BrowseIndex', () => {
  const index = BrowseIndex.build(
    [
      { id: id(20), name: 'b song.mp3', size: 7 },
      { id: id(21), name: 'A movie.mkv', size: 8 },
    ],
    [folder(100, trip), folder(101, { name: 'archive', files: [], emptyFolders: [] })],
  );
  const inTrip = (path: string, offset = 0, limit = 100) =>
    page(index, { folder: { listingId: id(100), path }, offset, limit });

  it('lists shared folders, then files shared on their own, each in natural name order', () => {
    const top = page(index, { offset: 0, limit: 100 });
    expect(top.total).toBe(4);
    expect(top.entries).toEqual([
      { kind: 'folder', name: 'archive', size: 0, count: 0, listing: { id: id(101), size: 1101 } },
      { kind: 'folder', name: 'summer trip', size: 4515, count: 5, listing: { id: id(100), size: 1100 } },
      { kind: 'file', name: 'A movie.mkv', size: 8, fileId: id(21) },
      { kind: 'file', name: 'b song.mp3', size: 7, fileId: id(20) },
    ]);
  });

  it('lists one folder level at a time, subfolders with their totals, empty folders too', () => {
    expect(inTrip('').entries).toEqual([
      { kind: 'folder', name: 'Docs', size: 5, count: 1 },
      { kind: 'folder', name: 'nothing here', size: 0, count: 0 },
      { kind: 'folder', name: 'photos', size: 4500, count: 3 },
      { kind: 'file', name: 'read me.txt', size: 10, fileId: id(1) },
    ]);
    expect(names(inTrip('photos').entries)).toEqual([
      'folder:empty',
      'folder:raw',
      'file:beach 2.jpg',
      'file:beach 10.jpg',
    ]);
    expect(inTrip('Docs/deep/deeper').entries).toEqual([{ kind: 'file', name: 'notes.md', size: 5, fileId: id(5) }]);
    expect(inTrip('photos/empty')).toEqual({ entries: [], total: 0 });
  });

  it('pages a folder level', () => {
    expect(inTrip('', 1, 2)).toEqual({ entries: inTrip('').entries.slice(1, 3), total: 4 });
    expect(inTrip('', 10, 2)).toEqual({ entries: [], total: 4 });
  });

  it('answers NOT_FOUND for a folder it does not share, and for a file taken for a folder', () => {
    for (const query of [
      { folder: { listingId: id(999), path: '' }, offset: 0, limit: 10 },
      { folder: { listingId: id(100), path: 'photos/missing' }, offset: 0, limit: 10 },
      { folder: { listingId: id(100), path: 'read me.txt' }, offset: 0, limit: 10 },
      { folder: { listingId: id(101), path: 'photos' }, offset: 0, limit: 10 },
    ]) {
      expect(index.page(query)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('gives a shared folder whose listing carries an unsafe name a safe one', () => {
    const odd = BrowseIndex.build([], [folder(1, { name: 'a/b\\..', files: [], emptyFolders: [] })]);
    expect(page(odd, { offset: 0, limit: 10 }).entries[0]).toMatchObject({ kind: 'folder', name: 'a_b_' });
  });

  it('browses a 100,000-file share smoothly: built once, then every page costs about the same', () => {
    // Ten shared folders of 10,000 files (a listing's limit): one flat, the others nested in 100 subfolders.
    const flat: FolderListing = {
      name: 'flat',
      files: Array.from({ length: 10_000 }, (_, n) => ({ path: `file ${n}.dat`, id: id(n), size: n })),
      emptyFolders: [],
    };
    const nested = (k: number): FolderListing => ({
      name: `nested ${k}`,
      files: Array.from({ length: 10_000 }, (_, n) => ({
        path: `dir ${n % 100}/sub/file ${n}.dat`,
        id: id(k * 100_000 + n),
        size: 1,
      })),
      emptyFolders: [],
    });
    const shared = [folder(0, flat), ...Array.from({ length: 9 }, (_, k) => folder(k + 1, nested(k + 1)))];
    const started = performance.now();
    const big = BrowseIndex.build([], shared);
    const builtMs = performance.now() - started;

    const top = page(big, { offset: 0, limit: 200 });
    expect(top.total).toBe(10);
    expect(top.entries.reduce((sum, entry) => sum + (entry.kind === 'folder' ? entry.count : 1), 0)).toBe(100_000);

    // Every file of the flat folder, page by page, in natural order, each once.
    const seen: string[] = [];
    const pageTimes: number[] = [];
    for (let offset = 0; offset < 10_000; offset += 200) {
      const query = { folder: { listingId: id(0), path: '' }, offset, limit: 200 };
      const before = performance.now();
      big.page(query);
      pageTimes.push(performance.now() - before);
      const { entries, total } = page(big, query);
      expect(total).toBe(10_000);
      seen.push(...entries.map((entry) => entry.name));
    }
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, n) => `file ${n}.dat`));
    expect(page(big, { folder: { listingId: id(5), path: 'dir 42/sub' }, offset: 0, limit: 200 }).total).toBe(100);

    // The first page of a level sorts it once; the pages after it are slices. Generous bounds: a shared 2-core VM.
    expect(builtMs).toBeLessThan(2_000);
    const later = pageTimes.slice(1).sort((a, b) => a - b);
    expect(later[Math.floor(later.length / 2)]).toBeLessThan(5);
  });
});
