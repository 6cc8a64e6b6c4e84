import { fileFiltersMatch, nameWordsMatch, tokenize, type FileId, type SearchQuery } from '@shoal/common';
import type { RateLimit } from '../rate-limiter.ts';
import type { NamedFile } from '../registry/registry.ts';
import { DueQueue } from './due-queue.ts';
import { FairMatchBudget } from './fair-match-budget.ts';
import { TermCounts } from './term-counts.ts';
import { markOf, TermSlots, type Bucket, type Term } from './term-slots.ts';

/** Files matched between two looks at whether the query watches are filed under their rarest terms. */
const REFILE_EVERY = 10_000;

/** What a watch waits for: files matching a parsed query, or one content id. */
export type WatchTarget = { query: SearchQuery } | { fileId: FileId };

/** One distinct target and every subscriber watching it: identical watches are matched once. */
export interface WatchEntry<S> {
  readonly key: string;
  readonly target: WatchTarget;
  readonly subscribers: Set<S>;
  /** How many more files it may match for now, and of each registrant. */
  readonly budget: FairMatchBudget;
  /** Where a query watch is filed now (it may move to a rarer term as names are seen); null once removed. */
  slot: Term | null;
  /** Set aside, out of its slot, until its allowance has a match again. */
  parked: boolean;
  /** The terms a match of a query holds, as {@link markOf} marks them (0 for a file id). */
  readonly mark: number;
}

/**
 * Every watch of a tracker, indexed so that one file is matched against thousands of them cheaply: a query watch is
 * filed under one of the terms every match must hold, a whole word or its prefix (the unfinished last word, which
 * matches the beginning of a word, like the search box's; a one-word watch, "sunset", has only that), and a file is
 * checked only against the watches filed under its own words and their beginnings (`TermSlots`, one pass over each
 * word), with the query matcher from `common` (the same one search uses). The term is the rarest in the names seen
 * so far (`TermCounts`; the longest before any were seen), and watches move to a rarer term as names come: filed under
 * "photos", "photos rome" would be checked against a tenth of all files.
 *
 * Each distinct target matches at most `perTarget` files (a rate): one that has used its allowance is set aside, out
 * of its slot, until its next match is due, so a query so broad that it matches a good share of everything
 * registered (and is no news to anyone) costs nothing between its matches however many people watch it. The files of
 * one registrant take at most `perRegistrant` of that allowance, so one peer flooding matching files cannot crowd out
 * everyone else's. Pure: no sockets; the caller says what time it is.
 */
export class WatchIndex<S> {
  private readonly entries = new Map<string, WatchEntry<S>>();
  private readonly slots = new TermSlots<WatchEntry<S>>();
  private readonly byFile = new Map<FileId, WatchEntry<S>>();
  /** Query entries set aside until their allowance has a match again, by when it has. */
  private readonly parked = new DueQueue<WatchEntry<S>>();
  private readonly counts = new TermCounts();
  /** Reused by every {@link match}: the buckets a file's words lead to, and the entries that used up their allowance. */
  private readonly found: Bucket<WatchEntry<S>>[] = [];
  private readonly spent: WatchEntry<S>[] = [];
  /** Files matched since the last look at the filing. */
  private sinceRefile = 0;
  private subscriptions = 0;
  /** Times a query target was set aside, its allowance used up. */
  private setAsideCount = 0;
  /** Times a file matched a target but was not admitted because its registrant had used its share. */
  private passedOverShare = 0;

  constructor(
    private readonly perTarget: RateLimit,
    private readonly perRegistrant: RateLimit,
  ) {}

  /** Subscribers in all (a subscriber watching two targets counts twice). */
  get size(): number {
    return this.subscriptions;
  }

  /** Distinct targets. */
  get distinct(): number {
    return this.entries.size;
  }

  /** The term a query target is filed under now (`"sun…"` for a prefix), or null; for tests and logs. */
  termOf(target: WatchTarget): string | null {
    const slot = this.entries.get(keyOf(target))?.slot;
    return slot ? `${slot.key}${slot.prefix ? '…' : ''}` : null;
  }

  /** Times a query target was set aside because it had matched its allowance of files. */
  get setAside(): number {
    return this.setAsideCount;
  }

  /** Times a file matched a target but its registrant had matched its share of the target's allowance. */
  get overShare(): number {
    return this.passedOverShare;
  }

  /**
   * Adds `subscriber` to the watchers of `target`. A query must name at least one word or prefix (`parseWatchQuery`
   * sees to it): one that does not is refused with an error.
   */
  add(target: WatchTarget, subscriber: S): void {
    const key = keyOf(target);
    let entry = this.entries.get(key);
    if (!entry) {
      const budget = new FairMatchBudget(this.perTarget, this.perRegistrant);
      const mark = 'query' in target ? markOf(target.query.words, target.query.prefix) : 0;
      entry = { key, target, subscribers: new Set(), budget, slot: null, parked: false, mark };
      if ('fileId' in target) this.byFile.set(target.fileId, entry);
      else this.file(entry);
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
    if ('fileId' in entry.target) this.byFile.delete(entry.target.fileId);
    // A parked entry stays in the queue until due, then is dropped there (its slot is gone).
    else this.unfile(entry);
  }

  /**
   * The entries (each a distinct target with its subscribers) that `file`, under its name, matches at time `now`
   * (milliseconds); each takes one from its allowance.
   */
  match(file: NamedFile, now: number): WatchEntry<S>[] {
    const matched: WatchEntry<S>[] = [];
    const byId = this.byFile.get(file.id);
    if (byId && this.take(byId, file, now)) matched.push(byId);
    if (this.entries.size === this.byFile.size) return matched;
    this.unpark(now);
    const words = tokenize(file.name);
    this.counts.see(words);
    if (++this.sinceRefile >= REFILE_EVERY) this.refile();
    const { found, spent } = this;
    let marks = 0;
    for (const word of words) marks |= this.slots.collect(word, found);
    for (const { values, marks: needs } of found) {
      for (let i = 0; i < values.length; i++) {
        // A term the name's words do not mark: no match, and the entry need not even be read.
        if (((needs[i] as number) & ~marks) !== 0) continue;
        const entry = values[i] as WatchEntry<S>;
        const { query } = entry.target as { query: SearchQuery };
        // fileMatches (a filed query is never empty), with the name's words computed once for every candidate, and
        // the words first: they turn most candidates down.
        if (!nameWordsMatch(query, words) || !fileFiltersMatch(query, file) || !this.take(entry, file, now)) continue;
        matched.push(entry);
        if (!entry.budget.available(now)) spent.push(entry);
      }
    }
    found.length = 0;
    // Parked after the loop: parking changes the buckets being read.
    for (const entry of spent) this.park(entry);
    spent.length = 0;
    return matched;
  }

  /** Takes one from an entry's allowance for the file's registrant, if any is left; counts a file over its share. */
  private take(entry: WatchEntry<S>, file: NamedFile, now: number): boolean {
    if (entry.budget.take(file.registrant, now)) return true;
    if (entry.budget.available(now)) this.passedOverShare++;
    return false;
  }

  /** Takes a query entry out of its slot until its allowance has a match again. */
  private park(entry: WatchEntry<S>): void {
    if (entry.slot) this.slots.remove(entry.slot, entry);
    entry.parked = true;
    this.parked.push(entry, entry.budget.nextAt());
    this.setAsideCount++;
  }

  /** Files again the parked entries whose allowance has a match at `now` (those removed meanwhile are dropped). */
  private unpark(now: number): void {
    for (let entry = this.parked.popDue(now); entry; entry = this.parked.popDue(now)) {
      entry.parked = false;
      if (entry.slot) this.slots.add(entry.slot, entry, entry.mark);
    }
  }

  /** Files a query entry under its rarest term (only notes the term while it is parked). */
  private file(entry: WatchEntry<S>): void {
    const slot = this.slotOf((entry.target as { query: SearchQuery }).query).slot;
    entry.slot = slot;
    if (!entry.parked) this.slots.add(slot, entry, entry.mark);
  }

  private unfile(entry: WatchEntry<S>): void {
    if (entry.slot && !entry.parked) this.slots.remove(entry.slot, entry);
    entry.slot = null;
  }

  /** Moves query watches whose term turned out common to a term at most half as common. */
  private refile(): void {
    this.sinceRefile = 0;
    for (const entry of this.entries.values()) {
      if (!('query' in entry.target) || !entry.slot) continue;
      const { slot, seen } = this.slotOf(entry.target.query);
      if (slot.key === entry.slot.key && slot.prefix === entry.slot.prefix) continue;
      if (seen * 2 > this.seen(entry.slot)) continue;
      this.unfile(entry);
      this.file(entry);
    }
  }

  /** How often names held a term, as far as the counts tell. */
  private seen(slot: Term): number {
    return slot.prefix ? this.counts.prefix(slot.key) : this.counts.word(slot.key);
  }

  /** The query's rarest term so far (the longer one when as rare), and how often it was seen. */
  private slotOf(query: SearchQuery): { slot: Term; seen: number } {
    // A plain loop, no closure or object per term: every query is looked at again at each refiling.
    let key: string | null = null;
    let prefix = false;
    let least = Infinity;
    for (const word of query.words) {
      const seen = this.counts.word(word);
      if (seen < least || (seen === least && key !== null && word.length > key.length)) {
        key = word;
        least = seen;
      }
    }
    if (query.prefix !== null && query.prefix !== '') {
      const seen = this.counts.prefix(query.prefix);
      if (seen < least || (seen === least && key !== null && query.prefix.length > key.length)) {
        key = query.prefix;
        prefix = true;
        least = seen;
      }
    }
    if (key === null) throw new Error('a watched query needs a word or a prefix');
    return { slot: { prefix, key }, seen: least };
  }
}

/** The same target always has the same key, however it was typed ("Sunset  beach" and "sunset beach" are one). */
function keyOf(target: WatchTarget): string {
  return 'fileId' in target ? `file:${target.fileId}` : `query:${JSON.stringify(target.query)}`;
}
