import { MAX_QUERY_LENGTH, type SearchResult } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { appendPage, queryHint } from './search.ts';

const result = (id: string): SearchResult => ({
  id,
  name: id,
  names: [id],
  nameCount: 1,
  size: 1,
  mimeType: '',
  holders: 1,
  partialHolders: 0,
  availability: 1,
});

describe('queryHint', () => {
  it('lets good queries through and explains wrong ones', () => {
    expect(queryHint('holiday type:video size:<2GB')).toBeNull();
    expect(queryHint('')).toBeNull();
    expect(queryHint('type:movie')).toMatch(/Unknown type "movie"/);
    expect(queryHint('x'.repeat(MAX_QUERY_LENGTH + 1))).toMatch(/too long/);
  });
});

describe('appendPage', () => {
  it('appends in order and never shows a file twice', () => {
    const first = [result('a'), result('b')];
    expect(appendPage(first, [result('b'), result('c'), result('d')]).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(appendPage(first, []).map((r) => r.id)).toEqual(['a', 'b']);
  });
});
