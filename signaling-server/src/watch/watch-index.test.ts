import { parseWatchQuery, type SearchQuery } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import type { NamedFile } from '../registry/registry.ts';
import { WatchIndex as Index, type WatchTarget } from './watch-index.ts';

/** No allowance runs out in these tests but the one that says it does. */
const UNLIMITED = { perSecond: 1e9, burst: 1e9 };

/** The index, answering with the subscribers a file matches (each entry's, in turn), at time 0. */
class WatchIndex<S> extends Index<S> {
  subscribersOf(file: NamedFile): S[] {
    return this.match(file, 0).flatMap((entry) => [...entry.subscribers]);
  }
}

function query(text: string): WatchTarget {
  const parsed = parseWatchQuery(text);
  if (!parsed.ok) throw new Error(parsed.hint);
  return { query: parsed.query };
}

const id = (n: number): string => n.toString(16).padStart(64, '0');
const named = (name: string, extra: Partial<NamedFile> = {}): NamedFile => ({
  id: id(1),
  name,
  size: 1000,
  mimeType: '',
  registrant: 'alice',
  ...extra,
});

/** An index with one subscriber per query, named by the query. */
function indexOf(...queries: string[]): WatchIndex<string> {
  const index = new WatchIndex<string>(UNLIMITED, UNLIMITED);
  for (const text of queries) index.add(query(text), text);
  return index;
}

describe('WatchIndex.match', () => {
  const index = indexOf(
    'sunset',
    'sunset beach',
    'beach -draft',
    '"sea view"',
    'su',
    's',
    'sunsets',
    'holiday type:video',
    'report ext:pdf',
    'big size:>1MB',
    'Ångström',
  );
  const matches = (file: NamedFile): string[] => index.subscribersOf(file).sort();

  it.each<[string, Partial<NamedFile>, string[]]>([
    ['Sunset beach.jpg', {}, ['beach -draft', 's', 'su', 'sunset', 'sunset beach']],
    ['sunsets.jpg', {}, ['s', 'su', 'sunset', 'sunsets']],
    ['beach draft.jpg', {}, []],
    ['the sea view.png', {}, ['"sea view"', 's']],
    ['view of the sea.png', {}, ['s']],
    ['holiday.mkv', {}, ['holiday type:video']],
    ['holiday clip', { mimeType: 'video/mp4' }, ['holiday type:video']],
    ['holiday.txt', { mimeType: 'video/mp4' }, []],
    ['report 2024.pdf', {}, ['report ext:pdf']],
    ['report 2024.docx', {}, []],
    ['big file', { size: 2 * 1024 * 1024 }, ['big size:>1MB']],
    ['big file', { size: 512 }, []],
    ['ANGSTROM units', {}, ['Ångström']],
    ['nothing here', {}, []],
  ])('%s matches %j', (name, extra, expected) => {
    expect(matches(named(name, extra))).toEqual(expected);
  });

  it('filters by size and kind as the search box does', () => {
    const index = indexOf('big size:>1MB', 'big size:<1KB');
    expect(index.subscribersOf(named('big file', { size: 2 * 1024 * 1024 }))).toEqual(['big size:>1MB']);
    expect(index.subscribersOf(named('big file', { size: 10 }))).toEqual(['big size:<1KB']);
  });

  it('matches a file id watch on that content only, whatever its name', () => {
    const index = new WatchIndex<string>(UNLIMITED, UNLIMITED);
    index.add({ fileId: id(7) }, 'link');
    expect(index.subscribersOf(named('anything', { id: id(7) }))).toEqual(['link']);
    expect(index.subscribersOf(named('anything', { id: id(8) }))).toEqual([]);
  });

  it('matches identical watches once and tells every subscriber', () => {
    const index = new WatchIndex<string>(UNLIMITED, UNLIMITED);
    index.add(query('Sunset  BEACH'), 'a');
    index.add(query('sunset beach'), 'b');
    expect(index.distinct).toBe(1);
    expect(index.size).toBe(2);
    expect(index.subscribersOf(named('sunset beach.jpg')).sort()).toEqual(['a', 'b']);
  });

  it('agrees with fileMatches on random names and queries', async () => {
    const { fileMatches } = await import('@shoal/common');
    const words = ['sun', 'sunset', 'beach', 'sea', 'view', 'x', 'ete', 'été'];
    // mulberry32: a reproducible sequence.
    let seed = 1;
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const pick = (): string => words[random(words.length)] as string;
    const queries = Array.from({ length: 200 }, () => {
      const parts = Array.from({ length: random(3) }, () => (random(5) === 0 ? `-${pick()}` : pick()));
      if (random(4) === 0) parts.push(`"${pick()} ${pick()}"`);
      const last = pick();
      parts.push(random(2) === 0 ? last : last.slice(0, 1 + random(last.length)));
      return parts.join(' ');
    }).filter((text) => parseWatchQuery(text).ok);
    const index = new WatchIndex<number>(UNLIMITED, UNLIMITED);
    const parsed = queries.map((text) => query(text) as { query: SearchQuery });
    parsed.forEach((target, i) => index.add(target, i));
    let total = 0;
    for (let n = 0; n < 300; n++) {
      const file = named(Array.from({ length: 1 + random(5) }, pick).join(' ') + '.jpg');
      const expected = parsed.flatMap((target, i) => (fileMatches(target.query, file) ? [i] : []));
      expect(index.subscribersOf(file).sort((a, b) => a - b)).toEqual(expected);
      total += expected.length;
    }
    // Not a vacuous agreement: many pairs match.
    expect(queries.length).toBeGreaterThan(100);
    expect(total).toBeGreaterThan(300);
  });
});

describe('WatchIndex filing', () => {
  it('files a query under its rarest term as names come, and matches the same', () => {
    const index = new WatchIndex<string>(UNLIMITED, UNLIMITED);
    const target = query('photos rome');
    index.add(target, 'a');
    // Nothing seen yet: the longest term.
    expect(index.termOf(target)).toBe('photos');
    for (let n = 0; n < 10_000; n++) expect(index.subscribersOf(named(`photos ${n}.jpg`))).toEqual([]);
    // "photos" is in every name now, "rome" in none: the query moves.
    expect(index.termOf(target)).toBe('rome…');
    expect(index.subscribersOf(named('photos rome.jpg'))).toEqual(['a']);
    expect(index.subscribersOf(named('Rome, photos of romeo.jpg'))).toEqual(['a']);
    expect(index.subscribersOf(named('rome.jpg'))).toEqual([]);
    // A query added now goes straight to its rarest term.
    const later = query('photos beach');
    index.add(later, 'b');
    expect(index.termOf(later)).toBe('beach…');
    index.remove(target, 'a');
    index.remove(later, 'b');
    expect(index.subscribersOf(named('photos rome beach.jpg'))).toEqual([]);
    expect(index.distinct).toBe(0);
  });
});

describe('WatchIndex allowance', () => {
  it('matches a target with at most its burst of files, then its rate, and passes it over meanwhile', () => {
    const index = new Index<string>({ perSecond: 2, burst: 3 }, UNLIMITED);
    index.add(query('photo'), 'a');
    index.add(query('photo'), 'b');
    index.add(query('beach'), 'c');
    const at = (time: number, name: string): string[] =>
      index.match(named(name), time).flatMap((entry) => [...entry.subscribers]);
    for (let n = 0; n < 3; n++) expect(at(0, `photo ${n}`)).toEqual(['a', 'b']);
    expect(at(0, 'photo 3')).toEqual([]);
    expect(at(0, 'photo beach')).toEqual(['c']);
    expect(index.setAside).toBe(1);
    // Half a second later: one more file (2 a second).
    expect(at(500, 'photo 4')).toEqual(['a', 'b']);
    expect(at(500, 'photo 5')).toEqual([]);
    // A file that does not match takes nothing from the allowance.
    expect(at(1000, 'forest')).toEqual([]);
    expect(at(1000, 'photo 6')).toEqual(['a', 'b']);
  });

  it('sets a spent query aside until its next match is due, and drops one removed meanwhile', () => {
    const index = new Index<string>({ perSecond: 1, burst: 1 }, UNLIMITED);
    const at = (time: number, name: string): string[] =>
      index.match(named(name), time).flatMap((entry) => [...entry.subscribers]);
    index.add(query('photo'), 'a');
    expect(at(0, 'photo 1')).toEqual(['a']);
    expect(index.setAside).toBe(1);
    expect(at(999, 'photo 2')).toEqual([]);
    // The same query watched anew is a new target with its whole allowance.
    index.remove(query('photo'), 'a');
    index.add(query('photo'), 'b');
    expect(at(999, 'photo 3')).toEqual(['b']);
    // The removed target comes due and goes; the new one is set aside until its own time.
    expect(at(1000, 'photo 4')).toEqual([]);
    expect(at(1999, 'photo 5')).toEqual(['b']);
    expect(index.setAside).toBe(3);
    expect(index.distinct).toBe(1);
  });

  it('limits a file id target the same way', () => {
    const index = new Index<string>({ perSecond: 1, burst: 1 }, UNLIMITED);
    index.add({ fileId: id(1) }, 'link');
    expect(index.match(named('x', { id: id(1) }), 0)).toHaveLength(1);
    expect(index.match(named('y', { id: id(1) }), 0)).toHaveLength(0);
    expect(index.match(named('z', { id: id(1) }), 1000)).toHaveLength(1);
  });

  it('gives each registrant a share of a target’s allowance, so a flood leaves room for others', () => {
    const index = new Index<string>({ perSecond: 1, burst: 10 }, { perSecond: 0.25, burst: 3 });
    index.add(query('photos'), 'watcher');
    const matched = (name: string, registrant: string, time = 0): boolean =>
      index.match(named(name, { registrant }), time).length > 0;
    let flood = 0;
    for (let n = 0; n < 500; n++) if (matched(`photos ${n}.jpg`, 'flooder')) flood++;
    expect(flood).toBe(3);
    expect(index.overShare).toBe(497);
    expect(matched('photos of the beach.jpg', 'alice')).toBe(true);
    expect(matched('photos of the lake.jpg', 'bob')).toBe(true);
    // The flooder's share comes back at its own rate.
    expect(matched('photos again.jpg', 'flooder', 3999)).toBe(false);
    expect(matched('photos again.jpg', 'flooder', 4000)).toBe(true);
  });

  it('shares a file id target’s allowance the same way', () => {
    const index = new Index<string>({ perSecond: 1, burst: 10 }, { perSecond: 0.25, burst: 1 });
    index.add({ fileId: id(1) }, 'link');
    // The same content under one name after another, by one peer: one match; by another peer: one more.
    expect(index.match(named('a', { id: id(1), registrant: 'mallory' }), 0)).toHaveLength(1);
    expect(index.match(named('b', { id: id(1), registrant: 'mallory' }), 0)).toHaveLength(0);
    expect(index.match(named('c', { id: id(1), registrant: 'alice' }), 0)).toHaveLength(1);
  });
});

describe('WatchIndex.remove', () => {
  it('forgets a subscriber, and the entry with its last one', () => {
    const index = new WatchIndex<string>(UNLIMITED, UNLIMITED);
    index.add(query('sunset'), 'a');
    index.add(query('sunset'), 'b');
    index.add({ fileId: id(3) }, 'c');
    index.remove(query('Sunset'), 'a');
    expect(index.subscribersOf(named('sunset.jpg'))).toEqual(['b']);
    index.remove(query('sunset'), 'b');
    index.remove(query('sunset'), 'b');
    index.remove(query('nothing'), 'b');
    expect(index.subscribersOf(named('sunset.jpg'))).toEqual([]);
    index.remove({ fileId: id(3) }, 'c');
    expect(index.subscribersOf(named('x', { id: id(3) }))).toEqual([]);
    expect(index.size).toBe(0);
    expect(index.distinct).toBe(0);
  });

  it('refuses a query without a word or prefix', () => {
    const parsed = parseWatchQuery('sunset');
    if (!parsed.ok) throw new Error(parsed.hint);
    const index = new WatchIndex<string>(UNLIMITED, UNLIMITED);
    expect(() => index.add({ query: { ...parsed.query, prefix: null } }, 'a')).toThrow(/needs a word/);
  });
});
