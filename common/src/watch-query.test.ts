import { describe, expect, it } from 'vitest';
import { describeZodError } from './result.ts';
import { fileMatches } from './search-query.ts';
import { WATCH_NEEDS_A_WORD, parseWatchQuery } from './watch-query.ts';
import { MAX_MATCHES_PER_PUSH } from './limits.ts';
import { lookupSchema, watchAddSchema, watchMatchesSchema, watchRemoveSchema } from './watch-schemas.ts';

describe('parseWatchQuery', () => {
  it.each(['sunset', 'sunset beach', '"sea view"', 'beach -draft type:image', 'ext:jpg su'])('takes %j', (text) => {
    expect(parseWatchQuery(text).ok).toBe(true);
  });

  it.each(['', '   ', '-draft', 'type:video', 'ext:pdf size:>1GB', '- - -', '!!!'])(
    'refuses %j: it names no word',
    (text) => {
      expect(parseWatchQuery(text)).toEqual({ ok: false, hint: WATCH_NEEDS_A_WORD });
    },
  );

  it('passes a wrong filter’s hint on', () => {
    const parsed = parseWatchQuery('cats type:movie');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.hint).toMatch(/Unknown type "movie"/);
  });

  it('matches as the search box does: the last word as a prefix', () => {
    const parsed = parseWatchQuery('sunset');
    if (!parsed.ok) throw new Error(parsed.hint);
    expect(fileMatches(parsed.query, { name: 'Sunset beach.jpg', size: 1, mimeType: 'image/jpeg' })).toBe(true);
    expect(fileMatches(parsed.query, { name: 'Sunsets 2020.jpg', size: 1, mimeType: '' })).toBe(true);
    expect(fileMatches(parsed.query, { name: 'sun set.jpg', size: 1, mimeType: '' })).toBe(false);
  });
});

describe('watch payloads', () => {
  const id = 'ab'.repeat(32);
  it('take a query or a file id, never both, nothing else', () => {
    expect(watchAddSchema.safeParse({ query: 'sunset' }).success).toBe(true);
    expect(watchAddSchema.safeParse({ fileId: id }).success).toBe(true);
    expect(watchAddSchema.safeParse({ query: 'sunset', fileId: id }).success).toBe(false);
    expect(watchAddSchema.safeParse({ query: '' }).success).toBe(false);
    expect(watchAddSchema.safeParse({ query: 'x'.repeat(201) }).success).toBe(false);
    expect(watchAddSchema.safeParse({ fileId: id.toUpperCase() }).success).toBe(false);
    expect(watchAddSchema.safeParse({ query: 'a', peerId: 'x' }).success).toBe(false);
  });

  it('take a bounded since with a query only, and say what is wrong with a bad one', () => {
    const problem = (payload: unknown): string => {
      const parsed = watchAddSchema.safeParse(payload);
      return parsed.success ? 'accepted' : describeZodError(parsed.error);
    };
    expect(watchAddSchema.parse({ query: 'sunset', since: 0 })).toEqual({ query: 'sunset', since: 0 });
    expect(problem({ query: 'sunset', since: 1_700_000_000_000 })).toBe('accepted');
    expect(problem({ query: 'sunset', since: -1 })).toBe('since: must not be negative');
    expect(problem({ query: 'sunset', since: 1.5 })).toBe('since: must be a whole number of milliseconds');
    expect(problem({ query: 'sunset', since: '1700000000000' })).toBe(
      'since: must be a number of milliseconds on the tracker clock',
    );
    expect(problem({ query: 'sunset', since: null })).toBe(
      'since: must be a number of milliseconds on the tracker clock',
    );
    expect(problem({ query: 'sunset', since: 1e300 })).toMatch(/^since: /);
    expect(problem({ fileId: id, since: 5 })).toBe('payload: Unrecognized key: "since"');
    // A shape it fits nowhere is described by the one it came closest to.
    expect(problem({ since: 5 })).toMatch(/^query: /);
  });

  it('name watches and files by bounded ids', () => {
    expect(watchRemoveSchema.safeParse({ watchId: 'w12' }).success).toBe(true);
    expect(watchRemoveSchema.safeParse({ watchId: 'w'.repeat(33) }).success).toBe(false);
    expect(watchRemoveSchema.safeParse({ watchId: 'a b' }).success).toBe(false);
    expect(lookupSchema.safeParse({ fileId: id }).success).toBe(true);
    expect(lookupSchema.safeParse({ fileId: 'abc' }).success).toBe(false);
  });
});

describe('watch:matches payload', () => {
  const match = (n: number, extra: Record<string, unknown> = {}) => ({
    watchId: 'w1',
    file: {
      id: n.toString(16).padStart(64, '0'),
      name: `sunset ${n}.jpg`,
      names: [`sunset ${n}.jpg`],
      nameCount: 1,
      size: 1000,
      mimeType: 'image/jpeg',
      holders: 1,
      partialHolders: 0,
      availability: 1,
    },
    firstSeen: 1_700_000_000_000 + n,
    ...extra,
  });

  it('takes 1 to MAX_MATCHES_PER_PUSH matches, catch-up marked or not', () => {
    expect(watchMatchesSchema.safeParse([match(1)]).success).toBe(true);
    expect(watchMatchesSchema.safeParse([match(1, { catchUp: true }), match(2)]).success).toBe(true);
    const full = Array.from({ length: MAX_MATCHES_PER_PUSH }, (_, n) => match(n + 1));
    expect(watchMatchesSchema.safeParse(full).success).toBe(true);
  });

  it.each([
    ['no match', []],
    ['more than the bound', Array.from({ length: MAX_MATCHES_PER_PUSH + 1 }, (_, n) => match(n + 1))],
    ['one match, not a list', match(1)],
    ['a bad watch id', [match(1, { watchId: 'w 1' })]],
    ['a catch-up flag other than true', [match(1, { catchUp: false })]],
    ['a negative time', [match(1, { firstSeen: -1 })]],
    ['a file without an id', [{ ...match(1), file: { ...match(1).file, id: 'nope' } }]],
    ['an availability past 1', [{ ...match(1), file: { ...match(1).file, availability: 2 } }]],
    ['a name with control characters', [{ ...match(1), file: { ...match(1).file, name: 'a\u0000b' } }]],
  ])('refuses %s', (_, payload) => {
    expect(watchMatchesSchema.safeParse(payload).success).toBe(false);
  });
});
