import { fileFiltersMatch, isEmptyQuery, nameWordsMatch, tokenize, type FileId, type SearchQuery } from '@shoal/common';
import type { NamedFile } from '../registry/registry.ts';

/**
 * A watch of a query with no whole word (only an unfinished last word, "sunse") is filed under the first letters of
 * that prefix, at most this many; a name's word is then looked up under its first 1 to this many letters.
 */
export const PREFIX_KEY_LENGTH = 4;

/** What a watch waits for: files matching a parsed query, or one content id. */
export type WatchTarget = { query: SearchQuery } | { fileId: FileId };

/** One distinct target and every subscriber watching it: identical watches are matched once. */
interface WatchEntry<S> {
  readonly key: string;
  readonly target: WatchTarget;
  readonly subscribers: Set<S>;
}

/** The set of entries filed under one key. */
type Bucket<S> = Set<WatchEntry<S>>;

/**
 * Every watch of a tracker, indexed so that one file is matched against thousands of them cheaply: a query watch is
 * filed under one of the words every match must hold (the longest, likely the rarest), or, with none, under the
 * first letters of its prefix; a file is then checked only against the watches filed under its own words and
 * their first letters, with the query matcher from `common` (the same one search uses). Pure: no sockets, no clock.
 */
export class WatchIndex<S> {
  private readonly entries = new Map<string, WatchEntry<S>>();
  private readonly byWord = new Map<string, Bucket<S>>();
  private readonly byPrefix = new Map<string, Bucket<S>>();
  private readonly byFile = new Map<FileId, WatchEntry<S>>();
  private subscriptions = 0;

  /** Subscribers in all (a subscriber watching two targets counts twice). */
  get size(): number {
    return this.subscriptions;
  }

  /** Distinct targets. */
  get distinct(): number {
    return this.entries.size;
  }

  /**
   * Adds `subscriber` to the watchers of `target`. A query must name at least one word or prefix (`parseWatchQuery`
   * sees to it): one that does not is refused with an error.
   */
  add(target: WatchTarget, subscriber: S): void {
    const key = keyOf(target);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, target, subscribers: new Set() };
      this.file(entry);
      this.entries.set(key, entry);
    }
    if (!entry.subscribers.has(subscriber)) {
      entry.subscribers.add(subscriber);
      this.subscriptions++;
    }
  }

  /** Removes `subscriber` from the watchers of `target`; the target goes with its last one. */
  remove(target: WatchTarget, subscriber: S): void {
    const entry = this.entries.get(keyOf(target));
    if (!entry?.subscribers.delete(subscriber)) return;
    this.subscriptions--;
    if (entry.subscribers.size > 0) return;
    this.entries.delete(entry.key);
    if ('fileId' in entry.target) {
      this.byFile.delete(entry.target.fileId);
      return;
    }
    const [map, key] = this.slotOf(entry.target.query);
    const bucket = map.get(key);
    bucket?.delete(entry);
    if (bucket?.size === 0) map.delete(key);
  }

  /** The subscribers whose targets `file`, under its name, matches. */
  match(file: NamedFile): S[] {
    const matched: S[] = [];
    const byId = this.byFile.get(file.id);
    if (byId) matched.push(...byId.subscribers);
    if (this.byWord.size === 0 && this.byPrefix.size === 0) return matched;
    const words = tokenize(file.name);
    const candidates = new Set<WatchEntry<S>>();
    const collect = (bucket: Bucket<S> | undefined): void => {
      if (bucket) for (const entry of bucket) candidates.add(entry);
    };
    for (const word of new Set(words)) {
      collect(this.byWord.get(word));
      const longest = Math.min(PREFIX_KEY_LENGTH, word.length);
      for (let letters = 1; letters <= longest; letters++) collect(this.byPrefix.get(word.slice(0, letters)));
    }
    for (const entry of candidates) {
      const { query } = entry.target as { query: SearchQuery };
      // fileMatches, with the name's words computed once for every candidate.
      if (!isEmptyQuery(query) && fileFiltersMatch(query, file) && nameWordsMatch(query, words)) {
        matched.push(...entry.subscribers);
      }
    }
    return matched;
  }

  private file(entry: WatchEntry<S>): void {
    if ('fileId' in entry.target) {
      this.byFile.set(entry.target.fileId, entry);
      return;
    }
    const [map, key] = this.slotOf(entry.target.query);
    let bucket = map.get(key);
    if (!bucket) map.set(key, (bucket = new Set()));
    bucket.add(entry);
  }

  /** Where a query watch is filed: under its longest whole word, else under its prefix's first letters. */
  private slotOf(query: SearchQuery): [Map<string, Bucket<S>>, string] {
    let longest: string | undefined;
    for (const word of query.words) if (longest === undefined || word.length > longest.length) longest = word;
    if (longest !== undefined) return [this.byWord, longest];
    if (query.prefix === null || query.prefix === '') throw new Error('a watched query needs a word or a prefix');
    return [this.byPrefix, query.prefix.slice(0, PREFIX_KEY_LENGTH)];
  }
}

/** The same target always has the same key, however it was typed ("Sunset  beach" and "sunset beach" are one). */
function keyOf(target: WatchTarget): string {
  return 'fileId' in target ? `file:${target.fileId}` : `query:${JSON.stringify(target.query)}`;
}
