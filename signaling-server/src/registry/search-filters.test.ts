import {
  extensionOf,
  fileKindOf,
  holdsSequence,
  isEmptyQuery,
  parseSearchQuery,
  tokenize,
  type FileKind,
  type SearchQuery,
  type SearchSort,
} from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { SearchIndex } from './search-index.ts';

function parse(text: string): SearchQuery {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw new Error(`"${text}": ${parsed.hint}`);
  return parsed.query;
}

/** A file as the test builds it: its holdings' names and types, and what ranks it. */
interface TestFile {
  id: string;
  holdings: { name: string; mimeType: string }[];
  size: number;
  firstSeen: number;
  holders: number;
  partialHolders: number;
}

/** Indexes a file the way the registry does: each distinct name once, each holding's kind. */
function indexFile(index: SearchIndex, file: TestFile): void {
  for (const name of new Set(file.holdings.map((holding) => holding.name))) index.add(file.id, name);
  for (const { name, mimeType } of file.holdings) {
    const kind = fileKindOf(name, mimeType);
    if (kind) index.addKind(file.id, kind);
  }
  index.setRank(file.id, file.holders, file.partialHolders, sortName(file));
  index.setFacts(file.id, file.size, file.firstSeen);
}

function unindexFile(index: SearchIndex, file: TestFile): void {
  for (const { name, mimeType } of file.holdings) {
    const kind = fileKindOf(name, mimeType);
    if (kind) index.removeKind(file.id, kind);
  }
  for (const name of new Set(file.holdings.map((holding) => holding.name))) index.remove(file.id, name);
}

const sortName = (file: TestFile): string => (file.holdings[0]?.name ?? '').toLowerCase();

/**
 * What a search must find, spelled out from the definition: the names together hold every word and the prefix, some
 * name holds each phrase, none holds an exclusion, some holding is of a wanted kind, some name has a wanted
 * extension, the size is in range.
 */
function oracle(files: Iterable<TestFile>, query: SearchQuery, sort: SearchSort): { id: string; exact: number }[] {
  const matches: { file: TestFile; bonus: number }[] = [];
  for (const file of files) {
    const names = [...new Set(file.holdings.map((holding) => holding.name))].map((name) => tokenize(name));
    const all = new Set(names.flat());
    if (!query.words.every((word) => all.has(word))) continue;
    if (query.prefix !== null && ![...all].some((word) => word.startsWith(query.prefix as string))) continue;
    if (!query.phrases.every((phrase) => names.some((words) => holdsSequence(words, phrase)))) continue;
    if (query.excluded.some((sequence) => names.some((words) => holdsSequence(words, sequence)))) continue;
    const kinds = file.holdings.map(({ name, mimeType }) => fileKindOf(name, mimeType));
    if (query.kinds.length > 0 && !kinds.some((kind) => kind !== null && query.kinds.includes(kind))) continue;
    const extensions = file.holdings.map(({ name }) => extensionOf(name));
    if (query.extensions.length > 0 && !extensions.some((e) => query.extensions.includes(e))) continue;
    if (file.size < query.minSize || file.size > query.maxSize) continue;
    matches.push({ file, bonus: query.prefix !== null && all.has(query.prefix) ? 1 : 0 });
  }
  const relevance = (a: (typeof matches)[number], b: (typeof matches)[number]): number =>
    b.bonus - a.bonus ||
    b.file.holders - a.file.holders ||
    b.file.partialHolders - a.file.partialHolders ||
    (sortName(a.file) < sortName(b.file) ? -1 : sortName(a.file) > sortName(b.file) ? 1 : 0) ||
    (a.file.id < b.file.id ? -1 : 1);
  const primary: Record<SearchSort, (file: TestFile) => number> = {
    relevance: () => 0,
    size: (file) => -file.size,
    sources: (file) => -(file.holders + file.partialHolders),
    newest: (file) => -file.firstSeen,
  };
  const key = primary[sort];
  return matches
    .sort((a, b) => key(a.file) - key(b.file) || relevance(a, b))
    .map(({ file, bonus }) => ({ id: file.id, exact: query.words.length + bonus }));
}

const SORTS: SearchSort[] = ['relevance', 'size', 'sources', 'newest'];

describe('SearchIndex filters and orders against a brute-force oracle', () => {
  it.each([
    { sortedPosting: undefined, seed: 99 },
    { sortedPosting: 2, seed: 2024 },
    { sortedPosting: 5, seed: 31337 },
  ])('agrees on random files, queries and changes (sorted postings from $sortedPosting)', (options) => {
    let seed = options.seed;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const words = ['sea', 'view', 'sun', 'set', 'old', 'copy', 'draft', 'Mer', 'vüe', 'a'];
    const extensions = ['mp4', 'MKV', 'pdf', 'mp3', 'jpg', 'zip', 'xyz', ''];
    const types = ['', '', 'video/mp4', 'audio/mpeg', 'application/pdf', 'image/png'];
    const makeName = (): string => {
      const stem = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(words)).join(pick([' ', '_', '-']));
      const extension = pick(extensions);
      return extension ? `${stem}.${extension}` : stem;
    };
    const makeQuery = (): string => {
      const parts: string[] = [];
      const n = Math.floor(random() * 4);
      for (let i = 0; i < n; i++) {
        const roll = random();
        if (roll < 0.45) parts.push(pick(words));
        else if (roll < 0.6) parts.push(`"${pick(words)} ${pick(words)}"`);
        else if (roll < 0.75) parts.push(`-${pick(words)}`);
        else if (roll < 0.8) parts.push(`-"${pick(words)} ${pick(words)}"`);
        else if (roll < 0.88)
          parts.push(`type:${pick(['video', 'audio', 'document', 'image', 'archive', 'video,audio'])}`);
        else parts.push(`ext:${pick(['mp4', 'pdf', 'mkv', 'zip,jpg', 'xyz'])}`);
      }
      if (random() < 0.3) parts.push(pick(['size:<5000', 'size:>=5000', 'size:2000..8000', 'size:=4096']));
      // The last bare word sometimes unfinished: a prefix.
      if (random() < 0.3) parts.push(pick(words).slice(0, 1 + Math.floor(random() * 2)));
      return parts.join(' ');
    };

    const index = new SearchIndex({ sortedPosting: options.sortedPosting });
    const files = new Map<string, TestFile>();
    const check = (queries: number): void => {
      for (let q = 0; q < queries; q++) {
        const text = makeQuery();
        const query = parse(text);
        if (isEmptyQuery(query)) {
          expect(index.search(query, { offset: 0, limit: 10 })).toEqual({ hits: [], total: 0 });
          continue;
        }
        const sort = pick(SORTS);
        const expected = oracle(files.values(), query, sort);
        const page = index.search(query, { offset: 0, limit: 10_000, sort });
        const label = `${text} (by ${sort})`;
        expect(page.total, label).toBe(expected.length);
        expect(
          page.hits.map((hit) => hit.fileId),
          label,
        ).toEqual(expected.map((match) => match.id));
        if (query.prefix !== null) {
          expect(
            page.hits.map((hit) => hit.exactMatches),
            label,
          ).toEqual(expected.map((match) => match.exact));
        }
        const offset = Math.floor(random() * 15);
        const limit = 1 + Math.floor(random() * 8);
        expect(
          index.search(query, { offset, limit, sort }).hits.map((hit) => hit.fileId),
          `${label} from ${offset}`,
        ).toEqual(expected.slice(offset, offset + limit).map((match) => match.id));
      }
    };

    for (let step = 0; step < 3000; step++) {
      const id = `f${Math.floor(random() * 400)}`;
      const old = files.get(id);
      if (step % 300 === 299) check(40);
      if (old) unindexFile(index, old);
      if (old && random() < 0.3) {
        files.delete(id);
        continue;
      }
      const holdings = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        name: makeName(),
        mimeType: pick(types),
      }));
      // Holders often share a name: the same name twice is counted, indexed once.
      if (holdings.length > 1 && random() < 0.5) holdings[1] = { ...(holdings[0] as TestFile['holdings'][number]) };
      const file: TestFile = {
        id,
        holdings,
        size: pick([0, 1000, 2000, 4096, 5000, 5001, 8000, 9000, 4096]),
        firstSeen: old?.firstSeen ?? Math.floor(step / 3),
        holders: Math.floor(random() * 3),
        partialHolders: Math.floor(random() * 2),
      };
      files.set(id, file);
      indexFile(index, file);
    }
    check(400);
    for (const file of files.values()) unindexFile(index, file);
    files.clear();
    expect(index.fileCount).toBe(0);
    expect(index.wordCount).toBe(0);
    check(20);
  });
});

describe('SearchIndex filters', () => {
  const index = new SearchIndex();
  const add = (id: string, names: string[], mimeType = '', size = 1000, firstSeen = 0) => {
    for (const name of new Set(names)) index.add(id, name);
    for (const name of names) {
      const kind = fileKindOf(name, mimeType);
      if (kind) index.addKind(id, kind);
    }
    index.setRank(id, 1, 0, (names[0] ?? '').toLowerCase());
    index.setFacts(id, size, firstSeen);
  };
  add('clip', ['holiday clip.mp4'], 'video/mp4', 5_000_000, 3);
  add('movie', ['holiday movie.mkv'], '', 2_000_000_000, 1);
  add('paper', ['holiday paper.pdf'], 'application/pdf', 300_000, 2);
  add('song', ['sea view.mp3', 'view of the sea.mp3'], 'audio/mpeg', 4_000_000, 4);
  add('photos', ['Photos'], 'application/x-shoal-folder', 0, 5);
  const ids = (text: string, sort?: SearchSort) =>
    index.search(parse(text), { offset: 0, limit: 50, sort }).hits.map((hit) => hit.fileId);

  it('answers filters without words', () => {
    expect(ids('type:video').sort()).toEqual(['clip', 'movie']);
    expect(ids('ext:pdf')).toEqual(['paper']);
    expect(ids('type:video size:>1GB')).toEqual(['movie']);
    expect(ids('size:<1MB').sort()).toEqual(['paper', 'photos']);
    expect(ids('type:folder')).toEqual(['photos']);
    expect(ids('ext:mkv,pdf').sort()).toEqual(['movie', 'paper']);
    expect(ids('type:archive')).toEqual([]);
    expect(ids('ext:rar')).toEqual([]);
  });

  it('combines words with filters', () => {
    expect(ids('holiday type:video').sort()).toEqual(['clip', 'movie']);
    // The last bare word is a prefix, filters after it or not; a word after it finishes it.
    expect(ids('size:1MB..10MB holi')).toEqual(['clip']);
    expect(ids('holi size:1MB..10MB')).toEqual(['clip']);
    expect(ids('holi day size:1MB..10MB')).toEqual([]);
    expect(ids('holiday -movie -paper')).toEqual(['clip']);
    expect(ids('-holiday').sort()).toEqual(['photos', 'song']);
  });

  it('matches a phrase in one name and excludes one found in any', () => {
    expect(ids('"sea view"')).toEqual(['song']);
    expect(ids('"view sea"')).toEqual([]);
    // "view of the sea" holds "the sea"; the file is shared under both names, so excluding it drops the file.
    expect(ids('"the sea"')).toEqual(['song']);
    expect(ids('sea -"the sea"')).toEqual([]);
    expect(ids('sea -"sea of"')).toEqual(['song']);
  });

  it('orders by size, newest and relevance', () => {
    expect(ids('holiday', 'size')).toEqual(['movie', 'clip', 'paper']);
    expect(ids('holiday', 'newest')).toEqual(['clip', 'paper', 'movie']);
    expect(ids('size:<10GB', 'newest')).toEqual(['photos', 'song', 'clip', 'paper', 'movie']);
    expect(ids('size:<10GB', 'size')).toEqual(['movie', 'clip', 'song', 'paper', 'photos']);
  });

  it('forgets kinds and extensions with the holdings that gave them', () => {
    const small = new SearchIndex();
    small.add('x', 'talk.mp4');
    small.addKind('x', 'video');
    small.add('x', 'talk.mp3');
    small.addKind('x', 'audio');
    small.setRank('x', 2, 0, 'talk.mp4');
    const find = (text: string) => small.search(parse(text), { offset: 0, limit: 5 }).total;
    expect([find('type:audio'), find('type:video'), find('ext:mp3'), find('ext:mp4')]).toEqual([1, 1, 1, 1]);
    small.removeKind('x', 'audio');
    small.remove('x', 'talk.mp3');
    expect([find('type:audio'), find('type:video'), find('ext:mp3'), find('ext:mp4')]).toEqual([0, 1, 0, 1]);
    small.removeKind('x', 'video');
    small.remove('x', 'talk.mp4');
    expect(small.fileCount).toBe(0);
    expect(find('type:video')).toBe(0);
  });

  it('never lets a prefix reach a kind or an extension', () => {
    expect(ids('mp')).toEqual(['clip', 'song']);
    expect(ids('vid')).toEqual([]);
    expect(ids('pd')).toEqual(['paper']);
  });
});

describe('SearchIndex kinds', () => {
  it('counts a kind per holding', () => {
    const index = new SearchIndex();
    const kinds: FileKind[] = ['video', 'video'];
    index.add('x', 'clip.bin');
    for (const kind of kinds) index.addKind('x', kind);
    index.setRank('x', 2, 0, 'clip.bin');
    index.removeKind('x', 'video');
    expect(index.search(parse('type:video'), { offset: 0, limit: 5 }).total).toBe(1);
    index.removeKind('x', 'video');
    expect(index.search(parse('type:video'), { offset: 0, limit: 5 }).total).toBe(0);
    expect(index.search(parse('clip'), { offset: 0, limit: 5 }).total).toBe(1);
  });
});
