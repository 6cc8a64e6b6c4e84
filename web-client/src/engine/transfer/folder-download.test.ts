import { afterEach, describe, expect, it } from 'vitest';
import { MiB, encodeFolderListing, type FolderFile } from '@shoal/common';
import { patternBytes, sharedFileOf, TestSwarm, waitFor } from '../test-support/swarm.ts';
import type { SharedFile } from '../share/shared-file.ts';
import type { Download } from './download.ts';
import { FolderDownload, type FolderDownloadDeps } from './folder-download.ts';

const swarms: TestSwarm[] = [];
afterEach(() => {
  for (const swarm of swarms.splice(0)) swarm.stop();
});

/** Files by id, each served by an in-memory holder of its own. */
async function filesOf(...sizes: number[]): Promise<SharedFile[]> {
  return Promise.all(sizes.map((size, i) => sharedFileOf(patternBytes(size, i + 1), `f${i}`)));
}

function listingBlob(entries: FolderFile[], emptyFolders: string[] = []): Blob {
  return new Blob([encodeFolderListing({ name: 'trip', files: entries, emptyFolders }) as Uint8Array<ArrayBuffer>]);
}

interface Harness {
  folder: FolderDownload;
  started: string[];
  completed: Promise<void>;
}

function harness(files: SharedFile[], overrides: Partial<FolderDownloadDeps> = {}, prefix = ''): Harness {
  const started: string[] = [];
  let complete!: () => void;
  const completed = new Promise<void>((resolve) => (complete = resolve));
  const deps: FolderDownloadDeps = {
    startMember: (file) => {
      started.push(file.id);
      const source = files.find((candidate) => candidate.id === file.id)!;
      const swarm = new TestSwarm();
      swarms.push(swarm);
      swarm.addHolder('holder', source);
      const download: Download = swarm.start(file.id, file.size);
      void swarm.completed.then(() => folder.memberChanged());
      return download;
    },
    held: () => null,
    checkRoom: async () => null,
    onChange: () => {},
    onComplete: () => complete(),
    ...overrides,
  };
  const folder = new FolderDownload('folder-1', 'trip', 'listing-id', null, prefix, deps);
  return { folder, started, completed };
}

describe('FolderDownload', () => {
  it('downloads every file the listing names, once per content, and gives them back at their paths', async () => {
    const [a, b, held] = await filesOf(2 * MiB + 5, 0, 1000);
    const { folder, started, completed } = harness([a!, b!], {
      held: (id) => (id === held!.id ? held!.data : null),
    });
    await folder.listingArrived(
      listingBlob(
        [
          { path: 'photos/a.bin', id: a!.id, size: a!.manifest.size },
          { path: 'copy of a.bin', id: a!.id, size: a!.manifest.size },
          { path: 'empty', id: b!.id, size: 0 },
          { path: 'already/here.txt', id: held!.id, size: 1000 },
        ],
        ['nothing'],
      ),
    );
    expect(started.sort()).toEqual([a!.id, b!.id].sort());
    await completed;
    const parts = folder.parts()!;
    expect(parts.name).toBe('trip');
    expect(parts.emptyFolders).toEqual(['nothing']);
    expect(parts.files.map((part) => [part.path, part.file.size])).toEqual([
      ['already/here.txt', 1000],
      ['copy of a.bin', 2 * MiB + 5],
      ['empty', 0],
      ['photos/a.bin', 2 * MiB + 5],
    ]);
    expect(folder.snapshot()).toMatchObject({ status: 'complete', totalBytes: 2 * (2 * MiB + 5) + 1000 });
  });

  it('refuses a listing with an unsafe path and starts nothing', async () => {
    const [a] = await filesOf(10);
    const { folder, started } = harness([a!]);
    const hostile = JSON.stringify({
      version: 1,
      name: 'trip',
      files: [{ path: '../../.bashrc', id: a!.id, size: 10 }],
      emptyFolders: [],
    });
    await folder.listingArrived(new Blob([hostile]));
    expect(started).toEqual([]);
    expect(folder.snapshot()).toMatchObject({ status: 'failed' });
    expect(folder.snapshot().message).toMatch(/not usable.*unsafe path/);
  });

  it('refuses a folder that will not fit, before fetching any of it', async () => {
    const [a] = await filesOf(MiB);
    const { folder, started } = harness([a!], { checkRoom: async (bytes) => `needs ${bytes} bytes` });
    await folder.listingArrived(listingBlob([{ path: 'a', id: a!.id, size: MiB }]));
    expect(started).toEqual([]);
    expect(folder.snapshot()).toMatchObject({ status: 'failed', message: `needs ${MiB} bytes` });
  });

  it('downloads just the subfolder at its prefix, saved under that folder’s name with paths inside it', async () => {
    const [beach, raw, notes] = await filesOf(MiB + 3, 1000, 500);
    const listing = listingBlob(
      [
        { path: 'photos/beach.jpg', id: beach!.id, size: beach!.manifest.size },
        { path: 'photos/raw/IMG_1.cr2', id: raw!.id, size: 1000 },
        { path: 'photos-old/beach.jpg', id: notes!.id, size: 500 },
        { path: 'docs/notes.md', id: notes!.id, size: 500 },
      ],
      ['photos/empty', 'docs/empty'],
    );
    const { folder, started, completed } = harness([beach!, raw!, notes!], {}, 'photos');
    await folder.listingArrived(listing);
    expect(started.sort()).toEqual([beach!.id, raw!.id].sort());
    await completed;
    const parts = folder.parts()!;
    expect(parts.name).toBe('photos');
    expect(parts.emptyFolders).toEqual(['empty']);
    expect(parts.files.map((part) => [part.path, part.file.size])).toEqual([
      ['beach.jpg', MiB + 3],
      ['raw/IMG_1.cr2', 1000],
    ]);
    expect(folder.snapshot()).toMatchObject({ status: 'complete', totalBytes: MiB + 3 + 1000 });

    const deeper = harness([raw!], {}, 'photos/raw');
    await deeper.folder.listingArrived(listing);
    await deeper.completed;
    expect(deeper.folder.parts()).toMatchObject({ name: 'raw', emptyFolders: [], files: [{ path: 'IMG_1.cr2' }] });

    const empty = harness([], {}, 'docs/empty');
    await empty.folder.listingArrived(listing);
    await empty.completed;
    expect(empty.started).toEqual([]);
    expect(empty.folder.parts()).toEqual({ name: 'empty', files: [], emptyFolders: [] });
  });

  it('fails, fetching nothing, when the prefix names no folder of the listing', async () => {
    const [a] = await filesOf(10);
    const listing = listingBlob([{ path: 'photos/a.bin', id: a!.id, size: 10 }]);
    for (const prefix of ['videos', 'photos/a.bin', 'photo']) {
      const { folder, started } = harness([a!], {}, prefix);
      await folder.listingArrived(listing);
      expect(started).toEqual([]);
      expect(folder.snapshot()).toMatchObject({
        status: 'failed',
        message: `The shared folder has no folder ${prefix} (any more)`,
      });
    }
  });

  it('cancels all its files', async () => {
    const [a, b] = await filesOf(4 * MiB, 4 * MiB);
    const { folder } = harness([a!, b!]);
    await folder.listingArrived(
      listingBlob([
        { path: 'a', id: a!.id, size: a!.manifest.size },
        { path: 'b', id: b!.id, size: b!.manifest.size },
      ]),
    );
    folder.cancel();
    await waitFor(() => folder.snapshot().status === 'cancelled');
    expect(folder.finished).toBe(true);
    expect(folder.parts()).toBeNull();
  });
});
