import { isEmptyQuery, nameWordsMatch, parseSearchQuery, tokenize, type SearchQuery } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { nameKey } from './rank-key.ts';
import { SearchIndex } from './search-index.ts';

function parse(text: string): SearchQuery {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw new Error(parsed.hint);
  return parsed.query;
}

function search(index: SearchIndex, text: string, offset = 0, limit = 50) {
  return index.search(parse(text), { offset, limit });
}
const ids = (index: SearchIndex, text: string) => search(index, text).hits.map((hit) => hit.fileId);

function indexOf(names: Record<string, string>): SearchIndex {
  const index = new SearchIndex();
  for (const [id, name] of Object.entries(names)) {
    index.add(id, name);
    index.setRank(id, 1, 0, name.toLowerCase());
  }
  return index;
}

function indexWith(names: Record<string, string>, sortedPosting: number): SearchIndex {
  const index = new SearchIndex({ sortedPosting });
  for (const [id, name] of Object.entries(names)) {
    index.add(id, name);
    index.setRank(id, 1, 0, name.toLowerCase());
  }
  return index;
}

describe('SearchIndex matching', () => {
  const index = indexOf({
    a: 'Big Buck Bunny.mp4',
    b: 'big_buck_bunny_trailer.webm',
    c: 'Buckaroo Banzai.mkv',
    d: 'Ångström units.pdf',
    e: '🎵 party🎉 mix.mp3',
    f: '日本語のファイル.txt',
    g: 'Ελληνικά κείμενα.doc',
  });

  it('matches the last word as a prefix', () => {
    expect(ids(index, 'bun').sort()).toEqual(['a', 'b']);
    expect(ids(index, 'buck').sort()).toEqual(['a', 'b', 'c']);
  });

  it('matches earlier words exactly and needs all of them', () => {
    expect(ids(index, 'buck bun').sort()).toEqual(['a', 'b']);
    expect(ids(index, 'bu bunny')).toEqual([]); // "bu" is not a whole word of any name
    expect(ids(index, 'big trailer').sort()).toEqual(['b']);
    expect(ids(index, 'big banzai')).toEqual([]);
  });

  it('ignores case and accents on both sides', () => {
    expect(ids(index, 'angstrom')).toEqual(['d']);
    expect(ids(index, 'ÅNGSTRÖM UNI')).toEqual(['d']);
    expect(ids(index, 'BIG BUCK')).toHaveLength(2);
    expect(ids(index, 'ελληνικα')).toEqual(['g']);
  });

  it('finds emoji and non-Latin words', () => {
    expect(ids(index, '🎵')).toEqual(['e']);
    expect(ids(index, 'party')).toEqual(['e']);
    expect(ids(index, 'party🎉')).toEqual(['e']);
    expect(ids(index, '日本')).toEqual(['f']);
  });

  it('finds nothing for unknown words', () => {
    expect(search(index, 'zebra')).toEqual({ hits: [], total: 0 });
    expect(search(index, 'zebra buck')).toEqual({ hits: [], total: 0 });
  });

  it('reports how many query words matched exactly', () => {
    const hits = search(index, 'big buck bunny').hits;
    expect(hits.map((hit) => [hit.fileId, hit.exactMatches])).toEqual([
      ['a', 3],
      ['b', 3],
    ]);
    expect(search(index, 'buck bunn').hits.every((hit) => hit.exactMatches === 1)).toBe(true);
  });
});

describe('SearchIndex ranking and pages', () => {
  it('ranks whole-word matches first, then more holders, more partial holders, name, id', () => {
    const index = new SearchIndex();
    const files: [id: string, name: string, holders: number, partialHolders: number][] = [
      ['1', 'report final', 1, 0],
      ['2', 'reports', 9, 0],
      ['3', 'report draft', 5, 0],
      ['4', 'reporting', 5, 0],
      ['5', 'Report final', 1, 0],
      ['6', 'alpha report', 1, 0],
      ['7', 'zulu report', 1, 3],
      ['8', 'yankee report', 0, 7],
      ['9', 'xray report', 5, 1],
    ];
    for (const [id, name, holders, partialHolders] of files) {
      index.add(id, name);
      index.setRank(id, holders, partialHolders, name.toLowerCase());
    }
    // Whole word "report" first (by complete holders, then partial holders, then name, then id), then prefix-only
    // matches; partial holders never outrank a complete one.
    expect(ids(index, 'report')).toEqual(['9', '3', '7', '6', '1', '5', '8', '2', '4']);
  });

  it('pages through every match exactly once', () => {
    const index = new SearchIndex();
    for (let i = 0; i < 237; i++) {
      index.add(`f${i}`, `episode ${i}`);
      index.setRank(`f${i}`, i % 4, i % 3, `episode ${i}`);
    }
    const seen: string[] = [];
    for (let offset = 0; ; offset += 50) {
      const page = search(index, 'episode', offset, 50);
      expect(page.total).toBe(237);
      if (page.hits.length === 0) break;
      seen.push(...page.hits.map((hit) => hit.fileId));
    }
    expect(seen).toHaveLength(237);
    expect(new Set(seen).size).toBe(237);
    expect(search(index, 'episode', 1000, 10)).toEqual({ hits: [], total: 237 });
  });
});

describe('SearchIndex updates', () => {
  it('keeps a word while any text of the file holds it', () => {
    const index = new SearchIndex();
    index.add('x', 'holiday photos 2019');
    index.add('x', 'holiday pictures');
    expect(ids(index, 'pictures')).toEqual(['x']);
    index.remove('x', 'holiday pictures');
    expect(ids(index, 'pictures')).toEqual([]);
    expect(ids(index, 'holiday')).toEqual(['x']);
    index.remove('x', 'holiday photos 2019');
    expect(ids(index, 'holiday')).toEqual([]);
    expect(index.fileCount).toBe(0);
    expect(index.wordCount).toBe(0);
  });

  it('ignores texts without words and removals of unknown files', () => {
    const index = new SearchIndex();
    index.add('x', '...');
    index.remove('y', 'anything');
    index.setRank('z', 3, 0, 'z');
    expect(index.fileCount).toBe(0);
  });

  it('reuses slots without mixing files up', () => {
    const index = new SearchIndex();
    index.add('a', 'alpha');
    index.remove('a', 'alpha');
    index.add('b', 'beta');
    index.setRank('b', 2, 0, 'beta');
    expect(ids(index, 'alpha')).toEqual([]);
    expect(search(index, 'beta').hits).toEqual([{ fileId: 'b', exactMatches: 1 }]);
  });
});

describe('SearchIndex against a brute-force oracle', () => {
  // Sorted postings from 1024 files (the default) are never reached here; from 2 or 5 files, most words have one and
  // some cross the threshold both ways.
  it.each([
    { sortedPosting: undefined, seed: 12345 },
    { sortedPosting: 2, seed: 777 },
    { sortedPosting: 5, seed: 4242 },
  ])('agrees on random names, queries, additions and removals (sorted postings from $sortedPosting)', (options) => {
    let seed = options.seed;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'té', 'Vo'];
    const word = () => {
      let out = '';
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) out += syllables[Math.floor(random() * syllables.length)];
      return out;
    };
    const index = new SearchIndex({ sortedPosting: options.sortedPosting });
    const names = new Map<string, string>();
    const holders = new Map<string, number>();
    const partialHolders = new Map<string, number>();

    const check = (queries: number): void => {
      for (let q = 0; q < queries; q++) {
        const text = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
          const w = word();
          return random() < 0.5 ? w.slice(0, 1 + Math.floor(random() * w.length)) : w;
        }).join(' ');
        const query = parse(text);
        if (isEmptyQuery(query)) continue;
        const expected = [...names]
          .filter(([, name]) => nameWordsMatch(query, tokenize(name)))
          .map(([id, name]) => ({
            id,
            exact: query.words.length + (query.prefix !== null && tokenize(name).includes(query.prefix) ? 1 : 0),
            holders: holders.get(id) ?? 0,
            partialHolders: partialHolders.get(id) ?? 0,
            name: name.toLowerCase(),
          }))
          .sort(
            (a, b) =>
              b.exact - a.exact ||
              b.holders - a.holders ||
              b.partialHolders - a.partialHolders ||
              (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
              (a.id < b.id ? -1 : 1),
          );
        const page = index.search(query, { offset: 0, limit: 10_000 });
        expect(page.total, text).toBe(expected.length);
        expect(
          page.hits.map((hit) => hit.fileId),
          text,
        ).toEqual(expected.map((entry) => entry.id));
        expect(
          page.hits.map((hit) => hit.exactMatches),
          text,
        ).toEqual(expected.map((entry) => entry.exact));
        const offset = Math.floor(random() * 20);
        const limit = 1 + Math.floor(random() * 10);
        expect(
          index.search(query, { offset, limit }).hits.map((hit) => hit.fileId),
          `${text} from ${offset}`,
        ).toEqual(expected.slice(offset, offset + limit).map((entry) => entry.id));
      }
    };

    for (let step = 0; step < 4000; step++) {
      const id = `f${Math.floor(random() * 800)}`;
      const old = names.get(id);
      if (step % 200 === 199) check(15);
      if (old !== undefined && random() < 0.3) {
        index.remove(id, old);
        names.delete(id);
        continue;
      }
      if (old !== undefined && random() < 0.2) {
        // Only the rank changes.
        holders.set(id, Math.floor(random() * 3));
        index.setRank(id, holders.get(id) ?? 0, partialHolders.get(id) ?? 0, old.toLowerCase());
        continue;
      }
      if (old !== undefined) index.remove(id, old);
      const name = Array.from({ length: 1 + Math.floor(random() * 4) }, word).join(random() < 0.5 ? ' ' : '_');
      names.set(id, name);
      holders.set(id, Math.floor(random() * 3));
      partialHolders.set(id, Math.floor(random() * 3));
      index.add(id, name);
      index.setRank(id, holders.get(id) ?? 0, partialHolders.get(id) ?? 0, name.toLowerCase());
    }
    check(300);
    // Emptied, every list goes: nothing is found and the slots are reused cleanly.
    for (const [id, name] of names) index.remove(id, name);
    names.clear();
    expect(index.fileCount).toBe(0);
    expect(index.wordCount).toBe(0);
    check(20);
  });
});

describe('SearchIndex with a common last word', () => {
  // "night" (3 files) is rarer than words starting with "love" (6 files): the prefix's files are marked once and the
  // night files checked against the marks.
  const index = indexOf({
    n1: 'night love.mp3',
    n2: 'night lovely.mp3',
    n3: 'night day.mp3',
    l1: 'love a.mp3',
    l2: 'love b.mp3',
    l3: 'love c.mp3',
    l4: 'lovely d.mp3',
  });

  it('finds the files with both words and ranks the whole-word match first', () => {
    const page = search(index, 'night love');
    expect(page.hits).toEqual([
      { fileId: 'n1', exactMatches: 2 },
      { fileId: 'n2', exactMatches: 1 },
    ]);
    expect(page.total).toBe(2);
  });

  it('counts a file once when several words carry the prefix', () => {
    expect(search(index, 'night lov').hits.map((hit) => hit.fileId)).toEqual(['n1', 'n2']);
  });
});

describe('SearchIndex with common whole words and a prefix', () => {
  // Words in 3 files or more keep sorted postings: "day", "night", "love" and "lovely" do; "lover" and "lovesick"
  // (two files each) and "loving" (one) do not. File e has two rare words of the prefix "love": it counts once.
  const names: Record<string, string> = {
    a: 'day night love.mp3',
    b: 'day night lovely.mp3',
    c: 'day night love lovely.mp3',
    d: 'day night lover.mp3',
    e: 'day night lovesick lover.mp3',
    f: 'day night other.mp3',
    g: 'day love.mp3',
    h: 'night lovely.mp3',
    i: 'love lovely.mp3',
    k: 'day loving.mp3',
    l: 'day lovesick.mp3',
  };
  const index = indexWith(names, 3);

  /** The ids a brute-force scan finds, in the index's order: whole-word matches first, then by name. */
  function scanned(text: string): string[] {
    const query = parse(text);
    return Object.entries(names)
      .filter(([, name]) => nameWordsMatch(query, tokenize(name)))
      .map(([id, name]) => ({ id, bonus: tokenize(name).includes(query.prefix ?? '') ? 1 : 0, name }))
      .sort((x, y) => y.bonus - x.bonus || (x.name < y.name ? -1 : 1))
      .map(({ id }) => id);
  }

  it.each(['day lov', 'day love', 'day night love', 'night lovel', 'day lover', 'day lovi', 'day lovesi', 'day lx'])(
    'finds what a scan finds for "%s"',
    (text) => {
      expect(ids(index, text)).toEqual(scanned(text));
      expect(search(index, text).total).toBe(scanned(text).length);
    },
  );

  it('gives the bonus to files holding the prefix as a whole word', () => {
    expect(search(index, 'day love').hits.map((hit) => [hit.fileId, hit.exactMatches])).toEqual([
      ['g', 2],
      ['c', 2],
      ['a', 2],
      ['l', 1],
      ['b', 1],
      ['d', 1],
      ['e', 1],
    ]);
  });

  it("reads the files' own words when the prefix's rare words hold many more files than the whole words", () => {
    // "solo" is in 3 files; the rare words starting with "zeta" in 14.
    const crowd: Record<string, string> = { x1: 'solo zetaq.txt', x2: 'solo zeta.txt', x3: 'solo other.txt' };
    for (let n = 0; n < 12; n++) crowd[`z${n}`] = `zeta${n % 6} filler.txt`;
    expect(indexWith(crowd, 3).search(parse('solo zeta'), { offset: 0, limit: 10 })).toEqual({
      hits: [
        { fileId: 'x2', exactMatches: 2 },
        { fileId: 'x1', exactMatches: 1 },
      ],
      total: 2,
    });
  });
});

describe('SearchIndex with matches that tie on every key', () => {
  it('ranks them by full name, then id, whatever order they were added in', () => {
    // Names alike far past what the rank key and its tail hold ("quarterly report 20…"), the same holders, some
    // names the same, and a few the keys cannot hold (capped holders, a high code unit early).
    const files: { id: string; name: string; holders: number }[] = [];
    for (let n = 0; n < 300; n++) {
      const year = 2000 + ((n * 7) % 25);
      files.push({ id: `q${(n * 37) % 300}`, name: `quarterly report ${year} v${n % 4}.pdf`, holders: 1 });
    }
    files.push({ id: 'cap1', name: 'quarterly report 2001 capped.pdf', holders: 5000 });
    files.push({ id: 'cap2', name: 'quarterly report 2000 capped.pdf', holders: 5000 });
    files.push({ id: 'hi', name: 'quärterly report 2001.pdf', holders: 1 });
    files.push({ id: 'hj', name: 'quärterly report 2000.pdf', holders: 1 });
    const index = new SearchIndex();
    for (const { id, name, holders } of files) {
      index.add(id, name);
      index.setRank(id, holders, 0, name.toLowerCase());
    }
    const expected = [...files]
      .sort((a, b) => b.holders - a.holders || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1))
      .map(({ id }) => id);
    for (const limit of [1, 10, 50, 400]) {
      const page = search(index, 'report', 0, limit);
      expect(page.hits.map((hit) => hit.fileId)).toEqual(expected.slice(0, limit));
      expect(page.total).toBe(files.length);
    }
  });
});

describe('nameKey', () => {
  it('never orders two names against their code units', () => {
    let seed = 4242;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const units = [
      'a',
      'b',
      'z',
      '0',
      ' ',
      '~',
      '\u007d',
      '\u007e',
      '\u007f',
      'é',
      'ö',
      '日',
      '\ud83c',
      '\uffff',
      '\u0000',
    ];
    const name = () =>
      Array.from({ length: Math.floor(random() * 10) }, () => units[Math.floor(random() * units.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const a = name();
      const b = name();
      if (nameKey(a) < nameKey(b)) expect(a < b, JSON.stringify([a, b])).toBe(true);
      if (a === b) expect(nameKey(a)).toBe(nameKey(b));
    }
  });

  it('tells apart names that differ early, and is exact as a double', () => {
    expect(nameKey('dsc00001.jpg')).toBeLessThan(nameKey('dsc50001.jpg'));
    expect(nameKey('')).toBeLessThan(nameKey('a'));
    expect(Number.isSafeInteger(nameKey('\uffff'.repeat(9)))).toBe(true);
  });
});

describe('SearchIndex postings of one file and of several', () => {
  it('keeps a word findable as it goes from one file to many and back', () => {
    const index = indexOf({ a: 'rare words.txt' });
    index.add('b', 'rare too.txt');
    index.setRank('b', 1, 0, 'rare too.txt');
    expect(ids(index, 'rare').sort()).toEqual(['a', 'b']);
    index.remove('a', 'rare words.txt');
    expect(ids(index, 'rare')).toEqual(['b']);
    expect(ids(index, 'ra')).toEqual(['b']);
    index.remove('b', 'rare too.txt');
    expect(ids(index, 'ra')).toEqual([]);
    index.add('c', 'rare again.txt');
    index.setRank('c', 1, 0, 'rare again.txt');
    expect(ids(index, 'rar')).toEqual(['c']);
  });
});
