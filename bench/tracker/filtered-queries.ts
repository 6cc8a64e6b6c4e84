/**
 * Search queries with filters and orders, as people use the search box and the controls beside it, drawn from the
 * registered files themselves (like `queries.ts`), so every kind spans popular and rare words and kinds.
 */
import { fileKindOf, tokenize, type SearchSort } from '@shoal/common';
import { benchFile, seededRandom, type Random } from './names.ts';
import { queryWords } from './queries.ts';

/** One query as the bench sends it: the text typed (controls included) and the order asked for. */
export interface BenchQuery {
  query: string;
  sort?: SearchSort;
}

/** Filtered query kinds measured. */
export type FilteredQueryKind = 'wordType' | 'wordSize' | 'phrase' | 'exclusion' | 'filterOnly' | 'sorted';

export const FILTERED_QUERY_KINDS: readonly FilteredQueryKind[] = [
  'wordType',
  'wordSize',
  'phrase',
  'exclusion',
  'filterOnly',
  'sorted',
];

/** Size ranges as the controls write them, and the bytes they span. */
const SIZE_RANGES: readonly { text: string; min: number; max: number }[] = [
  { text: 'size:<1MB', min: 0, max: 2 ** 20 - 1 },
  { text: 'size:1MB..10MB', min: 2 ** 20, max: 10 * 2 ** 20 },
  { text: 'size:10MB..100MB', min: 10 * 2 ** 20, max: 100 * 2 ** 20 },
  { text: 'size:100MB..1GB', min: 100 * 2 ** 20, max: 2 ** 30 },
  { text: 'size:>1GB', min: 2 ** 30 + 1, max: Infinity },
];

/** Filters with no words, as the controls make them alone: a kind or an extension, with or without a size range. */
const FILTER_ONLY = [
  'type:video',
  'type:audio',
  'type:image',
  'type:document',
  'type:archive',
  'ext:pdf',
  'ext:mp3',
  'ext:epub',
  'ext:mkv',
  'ext:zip',
];

const SORTS: readonly SearchSort[] = ['size', 'sources', 'newest'];

function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function sizeRangeOf(size: number): string {
  return (SIZE_RANGES.find((range) => size >= range.min && size <= range.max) ?? SIZE_RANGES[0])!.text;
}

/** Two neighbouring words of a name that are both worth typing, as a quoted phrase; undefined if it has none. */
function phraseOf(random: Random, name: string): string | undefined {
  const worth = new Set(queryWords(name));
  const words = tokenize(name);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    if (worth.has(words[i] as string) && worth.has(words[i + 1] as string)) pairs.push(`"${words[i]} ${words[i + 1]}"`);
  }
  return pairs.length > 0 ? pick(random, pairs) : undefined;
}

/**
 * `count` queries of a kind over files numbered below `files`: a word with its file's kind ("paris type:image") or
 * size range ("beach size:1MB..10MB"), a phrase ("\"paris beach\""), a word less another file's word ("beach
 * -paris"), filters alone ("type:video size:>1GB"), or a word or filters alone in another order than relevance.
 */
export function makeFilteredQueries(kind: FilteredQueryKind, count: number, files: number, seed: number): BenchQuery[] {
  const random = seededRandom(seed);
  const queries: BenchQuery[] = [];
  const someFile = () => benchFile(Math.floor(random() * files));
  while (queries.length < count) {
    const file = someFile();
    const words = queryWords(file.name);
    if (kind === 'filterOnly' || (kind === 'sorted' && random() < 0.5)) {
      const filter = pick(random, FILTER_ONLY);
      const query = random() < 0.5 ? filter : `${filter} ${pick(random, SIZE_RANGES).text}`;
      queries.push(kind === 'sorted' ? { query, sort: pick(random, SORTS) } : { query });
      continue;
    }
    if (words.length === 0) continue;
    const word = pick(random, words);
    if (kind === 'wordType') {
      const fileKind = fileKindOf(file.name, file.mimeType);
      if (fileKind) queries.push({ query: `${word} type:${fileKind}` });
    } else if (kind === 'wordSize') {
      queries.push({ query: `${word} ${sizeRangeOf(file.size)}` });
    } else if (kind === 'phrase') {
      const phrase = phraseOf(random, file.name);
      if (phrase) queries.push({ query: phrase });
    } else if (kind === 'exclusion') {
      const other = pick(
        random,
        queryWords(someFile().name).filter((w) => w !== word),
      );
      if (other) queries.push({ query: `${word} -${other}` });
    } else {
      queries.push({ query: word, sort: pick(random, SORTS) });
    }
  }
  return queries;
}
