import { describe, expect, it } from 'vitest';
import { exactMatchCount, nameMatches, parseQuery, wordsMatch } from './query.ts';

describe('parseQuery', () => {
  it('splits earlier words (exact, deduplicated) from the last (prefix)', () => {
    expect(parseQuery('Holiday holiday PHOTOS 20')).toEqual({ exact: ['holiday', 'photos'], prefix: '20' });
  });

  it('folds case and accents', () => {
    expect(parseQuery('Ångström')).toEqual({ exact: [], prefix: 'angstrom' });
  });

  it('has nothing to search for in blank or punctuation-only text', () => {
    expect(parseQuery('')).toBeUndefined();
    expect(parseQuery('   ')).toBeUndefined();
    expect(parseQuery(' ... -- ')).toBeUndefined();
  });
});

describe('matching', () => {
  const query = parseQuery('big buck bun')!;

  it('needs every earlier word exactly and the last as a prefix', () => {
    expect(wordsMatch(query, ['big', 'buck', 'bunny'])).toBe(true);
    expect(wordsMatch(query, ['bigger', 'buck', 'bunny'])).toBe(false);
    expect(wordsMatch(query, ['big', 'buck'])).toBe(false);
    expect(nameMatches(query, 'Big_Buck_Bunny.mp4')).toBe(true);
  });

  it('counts the last word when it is whole', () => {
    expect(exactMatchCount(query, ['big', 'buck', 'bunny'])).toBe(2);
    expect(exactMatchCount(query, ['big', 'buck', 'bun'])).toBe(3);
  });
});
