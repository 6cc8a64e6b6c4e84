import { describe, expect, it } from 'vitest';
import { FOLDER_MIME_TYPE, encodeFolderListing, type FolderListing } from '@shoal/common';
import { patternBytes, sharedFileOf } from '../test-support/swarm.ts';
import type { SharedFile } from '../share/shared-file.ts';
import { SharedCatalog } from './shared-catalog.ts';

async function folderFile(listing: FolderListing): Promise<SharedFile> {
  const file = await sharedFileOf(encodeFolderListing(listing), listing.name);
  return { ...file, mimeType: FOLDER_MIME_TYPE };
}

/** A catalog over files that can change, as the page's sharing changes. */
function catalogOf(initial: SharedFile[]) {
  const state = { version: 1, files: initial };
  const catalog = new SharedCatalog({ browsable: () => state });
  const change = (files: SharedFile[]) => {
    state.files = files;
    state.version++;
  };
  return { catalog, change };
}

describe('SharedCatalog', () => {
  it('lists shared folders and loose files, a folder’s files only inside it', async () => {
    const member = await sharedFileOf(patternBytes(100, 1), 'beach.jpg');
    const loose = await sharedFileOf(patternBytes(50, 2), 'notes.txt');
    const listing = await folderFile({
      name: 'trip',
      files: [{ path: 'photos/beach.jpg', id: member.id, size: 100 }],
      emptyFolders: [],
    });
    const { catalog } = catalogOf([member, loose, listing]);
    expect(await catalog.answer({ offset: 0, limit: 10 })).toEqual({
      ok: true,
      data: {
        total: 2,
        entries: [
          {
            kind: 'folder',
            name: 'trip',
            size: 100,
            count: 1,
            listing: { id: listing.id, size: listing.manifest.size },
          },
          { kind: 'file', name: 'notes.txt', size: 50, fileId: loose.id },
        ],
      },
    });
    expect(await catalog.answer({ folder: { listingId: listing.id, path: 'photos' }, offset: 0, limit: 10 })).toEqual({
      ok: true,
      data: { total: 1, entries: [{ kind: 'file', name: 'beach.jpg', size: 100, fileId: member.id }] },
    });
  });

  it('lists only the files of a folder the page holds (a folder still downloading here)', async () => {
    const here = await sharedFileOf(patternBytes(10, 6), 'here.txt');
    const listing = await folderFile({
      name: 'half',
      files: [
        { path: 'a/here.txt', id: here.id, size: 10 },
        { path: 'b/missing.txt', id: 'ee'.repeat(32), size: 99 },
      ],
      emptyFolders: [],
    });
    const { catalog } = catalogOf([here, listing]);
    expect(await catalog.answer({ offset: 0, limit: 10 })).toMatchObject({
      ok: true,
      data: { entries: [{ kind: 'folder', name: 'half', size: 10, count: 1 }] },
    });
    expect(await catalog.answer({ folder: { listingId: listing.id, path: '' }, offset: 0, limit: 10 })).toMatchObject({
      ok: true,
      data: { entries: [{ kind: 'folder', name: 'a' }], total: 1 },
    });
  });

  it('lists a file that only claims to be a folder as the file it is', async () => {
    const fake = { ...(await sharedFileOf(patternBytes(30, 3), 'not a folder')), mimeType: FOLDER_MIME_TYPE };
    const { catalog } = catalogOf([fake]);
    expect(await catalog.answer({ offset: 0, limit: 10 })).toMatchObject({
      ok: true,
      data: { entries: [{ kind: 'file', name: 'not a folder', fileId: fake.id }] },
    });
  });

  it('follows what is shared: what stops being shared is gone, what starts is there', async () => {
    const first = await sharedFileOf(patternBytes(10, 4), 'first.txt');
    const second = await sharedFileOf(patternBytes(20, 5), 'second.txt');
    const listing = await folderFile({ name: 'box', files: [], emptyFolders: ['inner'] });
    const { catalog, change } = catalogOf([first, listing]);
    const names = async () => {
      const reply = await catalog.answer({ offset: 0, limit: 10 });
      return reply.ok ? reply.data.entries.map((entry) => entry.name) : reply.error.code;
    };
    expect(await names()).toEqual(['box', 'first.txt']);
    change([second]);
    expect(await names()).toEqual(['second.txt']);
    expect(await catalog.answer({ folder: { listingId: listing.id, path: '' }, offset: 0, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('answers requests it does not understand with NOT_FOUND', async () => {
    const { catalog } = catalogOf([]);
    for (const query of [null, 'x', {}, { offset: -1, limit: 10 }, { offset: 0, limit: 10, who: 'me' }]) {
      expect(await catalog.answer(query)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });
});
