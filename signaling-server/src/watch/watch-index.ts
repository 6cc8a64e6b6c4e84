import { fileFiltersMatch, nameWordsMatch, tokenize, type FileId, type SearchQuery } from '@shoal/common';
import type { RateLimit } from '../rate-limiter.ts';
import type { NamedFile } from '../registry/registry.ts';
import { MatchBudget } from './match-budget.ts';
import { PrefixTrie } from './prefix-trie.ts';

/** What a watch waits for: files matching a parsed query, or one content id. */
export type WatchTarget = { query: SearchQuery } | { fileId: FileId };

/** One distinct target and every subscriber watching it: identical watches are matched once. */
export interface WatchEntry<S> {
  readonly key: string;
  readonly target: WatchTarget;
  readonly subscribers: Set<S>;
  /** How many more files it may match for now. */
  readonly budget: MatchBudget;
  /** The last {@link WatchIndex.match} call that looked at this entry: candidates are counted once without a Set. */
  visited: number;
}

/** The entries filed under one key (an array: iterated for every file, changed only when watches come and go). */
type Bucket<S> = readonly WatchEntry<S>[];

/**
 * Every watch of a tracker, indexed so that one file is matched against thousands of them cheaply: a query watch is
 * filed under one of the words every match must hold (the longest, likely the rarest), or, with none (a watch of
 * one word, "sunset", which matches as a prefix like the search box's last word), under its prefix; a file is then
 * checked only against the watches filed under its own words and their beginnings, with the query matcher from
 * `common` (the same one search uses).
 *
 * Each distinct target matches at most `perTarget` files (a rate): one that has used its allowance is passed over
 * without being checked, so a query so broad that it matches a good share of everything registered (and is no news
 * to anyone) costs next to nothing however many people watch it. Pure: no sockets; the caller says what time it is.
 */
export class WatchIndex<S> {
  private readonly entries = new Map<string, WatchEntry<S>>();
  private readonly byWord = new Map<string, WatchEntry<S>[]>();
  private readonly byPrefix = new PrefixTrie<WatchEntry<S>>();
  private readonly byFile = new Map<FileId, WatchEntry<S>>();
  private subscriptions = 0;
  private visits = 0;
  /** Times a target was passed over, its allowance used up. */
  private passedOver = 0;

  constructor(private readonly perTarget: RateLimit) {}

  /** Subscribers in all (a subscriber watching two targets counts twice). */
  get size(): number {
    return this.subscriptions;
  }

  /** Distinct targets. */
  get distinct(): number {
    return this.entries.size;
  }

  /** Times a target was passed over because it had matched its allowance of files. */
  get skipped(): number {
    return this.passedOver;
  }

  /**
   * Adds `subscriber` to the watchers of `target`. A query must name at least one word or prefix (`parseWatchQuery`
   * sees to it): one that does not is refused with an error.
   */
  add(target: WatchTarget, subscriber: S): void {
    const key = keyOf(target);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, target, subscribers: new Set(), budget: new MatchBudget(this.perTarget), visited: 0 };
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
    const slot = this.slotOf(entry.target.query);
    if (slot.prefix) {
      this.byPrefix.remove(slot.key, entry);
      return;
    }
    const bucket = this.byWord.get(slot.key);
    const at = bucket?.indexOf(entry) ?? -1;
    if (at >= 0) bucket?.splice(at, 1);
    if (bucket?.length === 0) this.byWord.delete(slot.key);
  }

  /**
   * The entries (each a distinct target with its subscribers) that `file`, under its name, matches at time `now`
   * (milliseconds); each takes one from its allowance.
   */
  match(file: NamedFile, now: number): WatchEntry<S>[] {
    const matched: WatchEntry<S>[] = [];
    const byId = this.byFile.get(file.id);
    if (byId && this.admit(byId, now)) matched.push(byId);
    if (this.byWord.size === 0 && this.byPrefix.size === 0) return matched;
    const words = tokenize(file.name);
    const visit = ++this.visits;
    const check = (bucket: Bucket<S>): void => this.check(bucket, file, words, visit, now, matched);
    for (const word of words) {
      const exact = this.byWord.get(word);
      if (exact) check(exact);
      this.byPrefix.forPrefixesOf(word, check);
    }
    return matched;
  }

  /** Checks the entries of one bucket not yet seen in this call, adding those that match to `matched`. */
  private check(
    bucket: Bucket<S>,
    file: NamedFile,
    words: readonly string[],
    visit: number,
    now: number,
    matched: WatchEntry<S>[],
  ): void {
    for (const entry of bucket) {
      if (entry.visited === visit) continue;
      entry.visited = visit;
      if (!entry.budget.available(now)) {
        this.passedOver++;
        continue;
      }
      const { query } = entry.target as { query: SearchQuery };
      // fileMatches (a filed query is never empty), with the name's words computed once for every candidate, and
      // the words first: they turn most candidates down.
      if (!nameWordsMatch(query, words) || !fileFiltersMatch(query, file)) continue;
      entry.budget.take(now);
      matched.push(entry);
    }
  }

  /** Takes one from an entry's allowance, if any is left. */
  private admit(entry: WatchEntry<S>, now: number): boolean {
    if (entry.budget.take(now)) return true;
    this.passedOver++;
    return false;
  }

  private file(entry: WatchEntry<S>): void {
    if ('fileId' in entry.target) {
      this.byFile.set(entry.target.fileId, entry);
      return;
    }
    const slot = this.slotOf(entry.target.query);
    if (slot.prefix) {
      this.byPrefix.add(slot.key, entry);
      return;
    }
    let bucket = this.byWord.get(slot.key);
    if (!bucket) this.byWord.set(slot.key, (bucket = []));
    bucket.push(entry);
  }

  /**
   * Where a query watch is filed: under the longest of its whole words (by exact word) and its prefix (by beginning),
   * the longest being likely the rarest.
   */
  private slotOf(query: SearchQuery): { prefix: boolean; key: string } {
    let longest: string | undefined;
    for (const word of query.words) if (longest === undefined || word.length > longest.length) longest = word;
    const { prefix } = query;
    if (prefix !== null && prefix !== '' && (longest === undefined || prefix.length > longest.length)) {
      return { prefix: true, key: prefix };
    }
    if (longest === undefined) throw new Error('a watched query needs a word or a prefix');
    return { prefix: false, key: longest };
  }
}

/** The same target always has the same key, however it was typed ("Sunset  beach" and "sunset beach" are one). */
function keyOf(target: WatchTarget): string {
  return 'fileId' in target ? `file:${target.fileId}` : `query:${JSON.stringify(target.query)}`;
}
