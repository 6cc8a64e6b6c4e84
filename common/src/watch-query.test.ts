import { describe, expect, it } from 'vitest';
import { describeZodError } from './result.ts';
import { fileMatches } from './search-query.ts';
import { WATCH_NEEDS_A_WORD, parseWatchQuery } from './watch-query.ts';
import { lookupSchema, watchAddSchema, watchRemoveSchema } from './watch-schemas.ts';

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
