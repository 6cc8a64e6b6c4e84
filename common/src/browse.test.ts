import { describe, expect, it } from 'vitest';
import {
  browsePageMismatch,
  browsePageSchema,
  browsePeerSchema,
  browseReplySchema,
  type BrowsePage,
  type BrowseQuery,
} from './browse.ts';
import { DEFAULT_BROWSE_LIMIT, MAX_BROWSE_LIMIT, MAX_PATH_LENGTH } from './limits.ts';

const ID = 'ab'.repeat(32);
const file = { kind: 'file', name: 'a.txt', size: 3, fileId: ID } as const;
const folder = { kind: 'folder', name: 'photos', size: 10, count: 2 } as const;
const shared = { ...folder, listing: { id: ID, size: 200 } };

describe('browsePeerSchema', () => {
  it('defaults to the first page of the top level', () => {
    expect(browsePeerSchema.parse({ peerId: 'p' })).toEqual({ peerId: 'p', offset: 0, limit: DEFAULT_BROWSE_LIMIT });
  });

  it('takes a folder by listing id and canonical path', () => {
    for (const path of ['', 'a', 'a/b c/Ünï 🎵', 'x/'.repeat(63) + 'x']) {
      expect(browsePeerSchema.safeParse({ peerId: 'p', folder: { listingId: ID, path } }).success, path).toBe(true);
    }
  });

  it('refuses paths that are not canonical, leave the folder or are too long or deep', () => {
    for (const path of [
      '/etc',
      '../x',
      'a/../b',
      'a//b',
      'a/',
      './a',
      'C:\\x',
      'a\\b',
      'con',
      'a\u0000b',
      'a/.',
      'x'.repeat(MAX_PATH_LENGTH + 1),
      'x/'.repeat(64) + 'x',
      'a:b',
    ]) {
      expect(browsePeerSchema.safeParse({ peerId: 'p', folder: { listingId: ID, path } }).success, path).toBe(false);
    }
  });

  it('bounds offsets and limits and refuses extra keys', () => {
    for (const extra of [
      { limit: 0 },
      { limit: MAX_BROWSE_LIMIT + 1 },
      { offset: -1 },
      { offset: 1.5 },
      { from: 'x' },
    ]) {
      expect(browsePeerSchema.safeParse({ peerId: 'p', ...extra }).success, JSON.stringify(extra)).toBe(false);
    }
  });
});

describe('browseReplySchema', () => {
  it('takes a page or a NOT_FOUND refusal', () => {
    expect(browseReplySchema.safeParse({ ok: true, data: { entries: [shared, file], total: 2 } }).success).toBe(true);
    expect(browseReplySchema.safeParse({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } }).success).toBe(
      true,
    );
  });

  it('refuses anything else', () => {
    const bad: unknown[] = [
      null,
      'ok',
      { ok: true },
      { ok: true, data: { entries: [], total: -1 } },
      { ok: true, data: { entries: Array(MAX_BROWSE_LIMIT + 1).fill(file), total: 500 } },
      { ok: true, data: { entries: [{ ...file, name: 'a\nb' }], total: 1 } },
      { ok: true, data: { entries: [{ ...file, fileId: 'x' }], total: 1 } },
      { ok: true, data: { entries: [{ ...folder, name: '../up' }], total: 1 } },
      { ok: true, data: { entries: [{ ...folder, name: 'a/b' }], total: 1 } },
      { ok: true, data: { entries: [{ ...file, kind: 'link' }], total: 1 } },
      { ok: true, data: { entries: [{ ...file, path: '/etc/passwd' }], total: 1 } },
      { ok: false, error: { code: 'INTERNAL', message: 'x' } },
      { ok: false, error: { code: 'NOT_FOUND', message: 'x'.repeat(201) } },
    ];
    for (const reply of bad) expect(browseReplySchema.safeParse(reply).success, JSON.stringify(reply)).toBe(false);
  });
});

describe('browsePageMismatch', () => {
  const top: BrowseQuery = { offset: 0, limit: 2 };
  const inside: BrowseQuery = { folder: { listingId: ID, path: '' }, offset: 4, limit: 2 };
  const page = (entries: BrowsePage['entries'], total: number): BrowsePage =>
    browsePageSchema.parse({ entries, total });

  it('accepts pages that fit the query', () => {
    expect(browsePageMismatch(top, page([shared, file], 2))).toBeNull();
    expect(browsePageMismatch(inside, page([folder, file], 6))).toBeNull();
    expect(browsePageMismatch(inside, page([], 0))).toBeNull();
  });

  it('refuses more entries than asked, a total too small, and listings in the wrong place', () => {
    expect(browsePageMismatch(top, page([file, file, file], 3))).toMatch(/3 entries/);
    expect(browsePageMismatch(inside, page([file], 4))).toMatch(/total/);
    expect(browsePageMismatch(top, page([folder], 1))).toMatch(/without its listing/);
    expect(browsePageMismatch(inside, page([shared], 6))).toMatch(/subfolder naming/);
  });
});
