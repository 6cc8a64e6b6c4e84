/**
 * Search queries as people type them, drawn from the registered names themselves: a word of a random file's name
 * is popular in queries as often as it is in names, so selectivity ranges from a tenth of the registry to one file.
 */
import { tokenize } from '@shoal/common';
import { benchFile, seededRandom, type Random } from './names.ts';

/** Query kinds measured. */
export type QueryKind = 'oneWord' | 'twoWord' | 'prefix';

export const QUERY_KINDS: readonly QueryKind[] = ['oneWord', 'twoWord', 'prefix'];

/** File extensions are words too, but nobody searches for "jpg" alone; they are left out of query words. */
const EXTENSIONS = new Set(['jpg', 'mp3', 'flac', 'm4a', 'mp4', 'mkv', 'pdf', 'docx', 'xlsx', 'pptx', 'odt', 'txt']);
const MORE_EXTENSIONS = new Set(['zip', 'exe', 'tar', 'gz', 'epub']);

/** Words of a name worth typing: no extensions, no bare numbers, at least three letters. */
export function queryWords(name: string): string[] {
  return [...new Set(tokenize(name))].filter(
    (word) => word.length >= 3 && !/^\d+$/.test(word) && !EXTENSIONS.has(word) && !MORE_EXTENSIONS.has(word),
  );
}

function pickFrom<T>(random: Random, list: readonly T[]): T | undefined {
  return list[Math.floor(random() * list.length)];
}

/**
 * `count` queries of a kind over files numbered below `files`: one word ("beach"), two words of the same name
 * ("paris beach", the last matched as a prefix as the tracker does) or a word being typed ("bea").
 */
export function makeQueries(kind: QueryKind, count: number, files: number, seed: number): string[] {
  const random = seededRandom(seed);
  const queries: string[] = [];
  while (queries.length < count) {
    const words = queryWords(benchFile(Math.floor(random() * files)).name);
    if (kind === 'oneWord') {
      const word = pickFrom(random, words);
      if (word) queries.push(word);
    } else if (kind === 'twoWord') {
      if (words.length < 2) continue;
      const first = Math.floor(random() * words.length);
      const second = (first + 1 + Math.floor(random() * (words.length - 1))) % words.length;
      queries.push(`${words[first]} ${words[second]}`);
    } else {
      const word = pickFrom(
        random,
        words.filter((w) => w.length >= 4),
      );
      if (word) queries.push(word.slice(0, 2 + Math.ceil(random() * Math.min(3, word.length - 3))));
    }
  }
  return queries;
}
