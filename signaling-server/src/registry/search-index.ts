import { tokenize } from '@shoal/common';
import type { ParsedQuery } from './query.ts';
import { SortedWords } from './sorted-words.ts';
import { smallestK } from './top-k.ts';

/** One ranked match. */
export interface SearchHit {
  fileId: string;
  /** Query words the file's names hold exactly. */
  exactMatches: number;
}

/** One page of ranked matches. */
export interface SearchPage {
  hits: SearchHit[];
  /** Matches in all. */
  total: number;
}

const NO_MATCHES: SearchPage = { hits: [], total: 0 };

/**
 * When the prefix's files number at most this many times the smallest exact word's, marking them all is cheaper
 * than probing their sets per candidate (measured at a million files: "night love" 46 ms by probing).
 */
const MARKING_PAYS_OFF = 8;

/**
 * An inverted index from folded words to files, with prefix lookups on the last query word. Pure data: it knows
 * nothing of peers or sockets.
 *
 * A file may be indexed under several texts (the names its holders gave it); {@link add} and {@link remove} count
 * them, so a word stays indexed while any text of the file still holds it. The owner keeps each file's rank fields
 * current with {@link setRank}.
 *
 * Internally every indexed file has a small integer slot: posting sets hold slots, and rank fields live in arrays by
 * slot, so scoring a large candidate set costs array reads rather than string-keyed lookups and objects.
 */
export class SearchIndex {
  private readonly slotOf = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  /** By slot: file id ('' when free), word counts, complete and partial holder counts, lower-cased name. */
  private readonly ids: string[] = [];
  private readonly words: (Map<string, number> | undefined)[] = [];
  private readonly holders: number[] = [];
  private readonly partialHolders: number[] = [];
  private readonly sortNames: string[] = [];
  /** By slot: the search that last visited it, to count a file once across several prefix words. */
  private readonly seenIn: number[] = [];
  private searchCount = 0;

  private readonly postings = new Map<string, Set<number>>();
  private readonly vocabulary = new SortedWords();

  /** Number of indexed files. */
  get fileCount(): number {
    return this.slotOf.size;
  }

  /** Number of distinct indexed words. */
  get wordCount(): number {
    return this.vocabulary.size;
  }

  /** Indexes `fileId` under the words of `text` (one more text for the file). */
  add(fileId: string, text: string): void {
    const textWords = new Set(tokenize(text));
    if (textWords.size === 0) return;
    const slot = this.slotOf.get(fileId) ?? this.allocate(fileId);
    const counts = this.words[slot] as Map<string, number>;
    for (const word of textWords) {
      const count = counts.get(word) ?? 0;
      counts.set(word, count + 1);
      if (count === 0) this.post(word, slot);
    }
  }

  /** Undoes one {@link add} of the same text; words no other text of the file holds leave the index. */
  remove(fileId: string, text: string): void {
    const slot = this.slotOf.get(fileId);
    if (slot === undefined) return;
    const counts = this.words[slot] as Map<string, number>;
    for (const word of new Set(tokenize(text))) {
      const count = counts.get(word);
      if (count === undefined) continue;
      if (count > 1) {
        counts.set(word, count - 1);
        continue;
      }
      counts.delete(word);
      this.unpost(word, slot);
    }
    if (counts.size === 0) this.release(fileId, slot);
  }

  /**
   * Sets what ranks a file among equal matches: its complete holder count (more first), its partial holder count
   * (more first), then its name (pass it lower-cased; compared in code unit order). Ignored for files with no indexed
   * words.
   */
  setRank(fileId: string, holders: number, partialHolders: number, sortName: string): void {
    const slot = this.slotOf.get(fileId);
    if (slot === undefined) return;
    this.holders[slot] = holders;
    this.partialHolders[slot] = partialHolders;
    this.sortNames[slot] = sortName;
  }

  /**
   * Files matching every query word (the last as a prefix), best first: more exact word matches, more complete
   * holders, more partial holders, then name and id (so pages never overlap). Only files in the candidate sets are visited, driven by the smallest.
   */
  search(query: ParsedQuery, page: { offset: number; limit: number }): SearchPage {
    const exactSets: Set<number>[] = [];
    for (const word of query.exact) {
      const slots = this.postings.get(word);
      if (!slots) return NO_MATCHES;
      exactSets.push(slots);
    }
    exactSets.sort((a, b) => a.size - b.size);

    // The set of the prefix as a whole word goes first: its files earn the exact-match bonus.
    const wholeWord = this.postings.get(query.prefix);
    const prefixSets: Set<number>[] = wholeWord ? [wholeWord] : [];
    let prefixTotal = wholeWord?.size ?? 0;
    for (const word of this.vocabulary.withPrefix(query.prefix)) {
      const slots = this.postings.get(word);
      if (!slots || word === query.prefix) continue;
      prefixSets.push(slots);
      prefixTotal += slots.size;
    }
    if (prefixSets.length === 0) return NO_MATCHES;

    // Candidates are encoded as slot * 2 + bonus, bonus = 1 when the prefix is one of the file's whole words.
    const candidates: number[] = [];
    const smallest = exactSets[0];
    if (smallest === undefined || prefixTotal <= smallest.size) {
      const mark = this.nextSearch();
      const dedupe = prefixSets.length > 1;
      for (const slots of prefixSets) {
        const bonus = slots === wholeWord ? 1 : 0;
        for (const slot of slots) {
          if (dedupe) {
            if (this.seenIn[slot] === mark) continue;
            this.seenIn[slot] = mark;
          }
          if (exactSets.every((set) => set.has(slot))) candidates.push(slot * 2 + bonus);
        }
      }
    } else if (prefixTotal <= smallest.size * MARKING_PAYS_OFF) {
      // Walking the prefix sets once to mark their files (sequential and cheap) beats probing each of them for
      // every file of the smallest set (a hash lookup each). Whole-word files get the second mark: the bonus.
      const mark = this.nextSearch();
      const wholeMark = this.nextSearch();
      for (const slots of prefixSets) {
        const value = slots === wholeWord ? wholeMark : mark;
        for (const slot of slots) if (this.seenIn[slot] !== wholeMark) this.seenIn[slot] = value;
      }
      const others = exactSets.slice(1);
      for (const slot of smallest) {
        const seen = this.seenIn[slot];
        if ((seen !== mark && seen !== wholeMark) || !others.every((set) => set.has(slot))) continue;
        candidates.push(slot * 2 + (seen === wholeMark ? 1 : 0));
      }
    } else {
      const others = exactSets.slice(1);
      // Few words with the prefix: ask their sets; many: scan the file's own (few) words instead.
      const hasPrefix =
        prefixSets.length <= 4
          ? (slot: number) => prefixSets.some((set) => set.has(slot))
          : (slot: number) => this.hasWordWithPrefix(slot, query.prefix);
      for (const slot of smallest) {
        if (!others.every((set) => set.has(slot)) || !hasPrefix(slot)) continue;
        candidates.push(slot * 2 + (wholeWord?.has(slot) ? 1 : 0));
      }
    }

    const ranked = smallestK(candidates, page.offset + page.limit, this.compareCandidates);
    const hits = ranked.slice(page.offset).map((candidate) => ({
      fileId: this.ids[candidate >> 1] as string,
      exactMatches: query.exact.length + (candidate & 1),
    }));
    return { hits, total: candidates.length };
  }

  private readonly compareCandidates = (a: number, b: number): number => {
    const bonus = (b & 1) - (a & 1);
    if (bonus !== 0) return bonus;
    const slotA = a >> 1;
    const slotB = b >> 1;
    const holders = (this.holders[slotB] as number) - (this.holders[slotA] as number);
    if (holders !== 0) return holders;
    const partialHolders = (this.partialHolders[slotB] as number) - (this.partialHolders[slotA] as number);
    if (partialHolders !== 0) return partialHolders;
    const nameA = this.sortNames[slotA] as string;
    const nameB = this.sortNames[slotB] as string;
    if (nameA !== nameB) return nameA < nameB ? -1 : 1;
    const idA = this.ids[slotA] as string;
    const idB = this.ids[slotB] as string;
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };

  private nextSearch(): number {
    // Marks are compared for equality only; wrap long before they stop being small integers.
    if (this.searchCount >= 0x3fffffff) {
      this.searchCount = 0;
      this.seenIn.fill(0);
    }
    return ++this.searchCount;
  }

  private hasWordWithPrefix(slot: number, prefix: string): boolean {
    for (const word of (this.words[slot] as Map<string, number>).keys()) if (word.startsWith(prefix)) return true;
    return false;
  }

  private allocate(fileId: string): number {
    const slot = this.freeSlots.pop() ?? this.ids.length;
    this.slotOf.set(fileId, slot);
    this.ids[slot] = fileId;
    this.words[slot] = new Map();
    this.holders[slot] = 0;
    this.partialHolders[slot] = 0;
    this.sortNames[slot] = '';
    this.seenIn[slot] = 0;
    return slot;
  }

  private release(fileId: string, slot: number): void {
    this.slotOf.delete(fileId);
    this.ids[slot] = '';
    this.words[slot] = undefined;
    this.sortNames[slot] = '';
    this.freeSlots.push(slot);
  }

  private post(word: string, slot: number): void {
    let slots = this.postings.get(word);
    if (!slots) {
      slots = new Set();
      this.postings.set(word, slots);
      this.vocabulary.add(word);
    }
    slots.add(slot);
  }

  private unpost(word: string, slot: number): void {
    const slots = this.postings.get(word);
    if (!slots) return;
    slots.delete(slot);
    if (slots.size > 0) return;
    this.postings.delete(word);
    this.vocabulary.delete(word);
  }
}
