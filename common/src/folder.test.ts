import { describe, expect, it } from 'vitest';
import {
  FolderListingError,
  decodeFolderListing,
  encodeFolderListing,
  folderSize,
  type FolderListing,
} from './folder.ts';
import { MAX_FOLDER_FILES } from './limits.ts';

const id = (n: number) => n.toString(16).padStart(64, '0');
const listing: FolderListing = {
  name: 'holiday',
  files: [
    { path: 'b/photo.jpg', id: id(2), size: 2048 },
    { path: 'a.txt', id: id(1), size: 10 },
    { path: 'b/deep/empty-file', id: id(3), size: 0 },
  ],
  emptyFolders: ['nothing here'],
};

function bytesOf(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

describe('folder listings', () => {
  it('round-trip in one canonical form, whatever the order of entries', () => {
    const bytes = encodeFolderListing(listing);
    const reordered = encodeFolderListing({ ...listing, files: [...listing.files].reverse() });
    expect(reordered).toEqual(bytes);
    const decoded = decodeFolderListing(bytes);
    expect(decoded.files.map((file) => file.path)).toEqual(['a.txt', 'b/deep/empty-file', 'b/photo.jpg']);
    expect(decoded.emptyFolders).toEqual(['nothing here']);
    expect(folderSize(decoded)).toBe(2058);
  });

  const valid = JSON.parse(new TextDecoder().decode(encodeFolderListing(listing))) as Record<string, unknown>;
  it.each([
    ['not JSON', new TextEncoder().encode('{"version":1,')],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['another version', bytesOf({ ...valid, version: 2 })],
    ['an extra field', bytesOf({ ...valid, owner: 'me' })],
    ['a climbing path', bytesOf({ ...valid, files: [{ path: '../etc/passwd', id: id(1), size: 1 }] })],
    ['an absolute path', bytesOf({ ...valid, files: [{ path: '/etc/passwd', id: id(1), size: 1 }] })],
    ['a reserved name', bytesOf({ ...valid, files: [{ path: 'a/CON', id: id(1), size: 1 }] })],
    ['a backslash path', bytesOf({ ...valid, files: [{ path: 'a\\b', id: id(1), size: 1 }] })],
    ['an unsafe folder name', bytesOf({ ...valid, name: '..' })],
    ['a bad id', bytesOf({ ...valid, files: [{ path: 'a', id: 'xyz', size: 1 }] })],
    ['a negative size', bytesOf({ ...valid, files: [{ path: 'a', id: id(1), size: -1 }] })],
    [
      'the same path twice',
      bytesOf({
        ...valid,
        files: [
          { path: 'a', id: id(1), size: 1 },
          { path: 'a', id: id(2), size: 1 },
        ],
      }),
    ],
    [
      'a file where a folder is',
      bytesOf({
        ...valid,
        files: [
          { path: 'a', id: id(1), size: 1 },
          { path: 'a/b', id: id(2), size: 1 },
        ],
      }),
    ],
    ['an empty folder that holds a file', bytesOf({ ...valid, emptyFolders: ['b'] })],
    [
      'too many files',
      bytesOf({
        ...valid,
        files: Array.from({ length: MAX_FOLDER_FILES + 1 }, (_, i) => ({ path: `f${i}`, id: id(i), size: 1 })),
      }),
    ],
  ])('refuses %s', (_, bytes) => {
    expect(() => decodeFolderListing(bytes)).toThrow(FolderListingError);
  });
});
