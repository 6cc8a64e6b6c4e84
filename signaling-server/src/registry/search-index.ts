import { tokenize } from '@shoal/common';
import type { ParsedQuery } from './query.ts';
import { SlotList, sortedSlots } from './slot-list.ts';
import { SortedWords, type VocabularyEntry } from './sorted-words.ts';
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
 * The files of one word, by slot: most words (camera file numbers, dates, made-up names) are in one name only, so a
 * lone slot is kept as is, which costs a fraction of a set and is quicker to walk.
 */
type Posting = number | Set<number>;

/** An indexed word and its files; the same object is in the word map and, in order, in the vocabulary. */
interface IndexedWord extends VocabularyEntry {
  posting: Posting;
  /** The posting again as a sorted list, while the word is in at least {@link SORTED_POSTING} files. */
  sorted: SlotList | undefined;
}

/**
 * Prefixes up to this many code units keep the slots of every file with a word starting with them, sorted: those are
 * the prefixes whose files are too many to gather word by word at search time ("d", "dsc", "par").
 */
export const SHORT_PREFIX = 3;

/**
 * Words in at least this many files keep their posting sorted too (and drop it below half as many), so a one-word
 * search merges sorted lists instead of hashing through sets.
 */
export const SORTED_POSTING = 1024;

/** Options of {@link SearchIndex}; tests shrink the threshold to reach the sorted postings with little data. */
export interface SearchIndexOptions {
  /** Files from which a word keeps its posting sorted too: {@link SORTED_POSTING} by default. */
  sortedPosting?: number;
}

/** A one-word search merges at most this many sorted postings; beyond, it sorts their slots together. */
const MAX_MERGED = 8;

function postingSize(posting: Posting): number {
  return typeof posting === 'number' ? 1 : posting.size;
}

function postingHas(posting: Posting, slot: number): boolean {
  return typeof posting === 'number' ? posting === slot : posting.has(slot);
}

/** Whether every posting from `from` on holds `slot`. */
function inAll(postings: readonly Posting[], from: number, slot: number): boolean {
  for (let i = from; i < postings.length; i++) if (!postingHas(postings[i] as Posting, slot)) return false;
  return true;
}

/**
 * How many leading code units (at most {@link SHORT_PREFIX}) `word` shares with another word of `words`: the file's
 * short prefixes up to that length do not depend on `word`.
 */
function sharedShortPrefix(words: Map<string, number>, word: string): number {
  let shared = 0;
  for (const other of words.keys()) {
    if (other === word) continue;
    let n = 0;
    while (n < SHORT_PREFIX && n < other.length && other.charCodeAt(n) === word.charCodeAt(n)) n++;
    if (n > shared && (shared = n) === SHORT_PREFIX) break;
  }
  return shared;
}

const EMPTY_SLOTS = new Int32Array(0);

/**
 * The union of sorted slot lists, each slot once and in increasing order, encoded as slot * 2 + 1 when `bonus` (also
 * sorted) has it, else slot * 2.
 */
export function unionWithBonus(lists: readonly Int32Array[], bonus: Int32Array): number[] {
  const out: number[] = [];
  let b = 0;
  const emit = (slot: number): void => {
    while (b < bonus.length && (bonus[b] as number) < slot) b++;
    out.push(slot * 2 + (bonus[b] === slot ? 1 : 0));
  };
  if (lists.length === 1) {
    const list = lists[0] as Int32Array;
    for (let i = 0; i < list.length; i++) if (i === 0 || list[i] !== list[i - 1]) emit(list[i] as number);
    return out;
  }
  const at = lists.map(() => 0);
  for (;;) {
    let min = Infinity;
    for (let l = 0; l < lists.length; l++) {
      const list = lists[l] as Int32Array;
      const i = at[l] as number;
      if (i < list.length && (list[i] as number) < min) min = list[i] as number;
    }
    if (min === Infinity) return out;
    emit(min);
    for (let l = 0; l < lists.length; l++) {
      const list = lists[l] as Int32Array;
      let i = at[l] as number;
      while (i < list.length && list[i] === min) i++;
      at[l] = i;
    }
  }
}

/** Code units of a name that {@link nameKey} packs, 7 bits each (49 bits: exact in a double). */
const KEY_UNITS = 7;

/**
 * A number that orders names the way their code units do wherever it differs: if `nameKey(a) < nameKey(b)` then
 * `a < b`. Equal keys tell nothing (the names are then compared in full). Each of the first {@link KEY_UNITS} code
 * units becomes 1-126 (a missing one 0); a code unit of 126 or more becomes 127 and ends the key, since units
 * after it could no longer be compared in order.
 */
export function nameKey(name: string): number {
  let key = 0;
  let ended = false;
  for (let i = 0; i < KEY_UNITS; i++) {
    let digit = 0;
    if (!ended && i < name.length) {
      const unit = name.charCodeAt(i);
      digit = unit < 126 ? unit + 1 : 127;
      ended = digit === 127;
    } else {
      ended = true;
    }
    key = key * 128 + digit;
  }
  return key;
}

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
  /** By slot: {@link nameKey} of the sort name, so most name comparisons cost two array reads. */
  private readonly nameKeys: number[] = [];
  /** By slot: the search that last visited it, to count a file once across several prefix words. */
  private readonly seenIn: number[] = [];
  private searchCount = 0;

  private readonly postings = new Map<string, IndexedWord>();
  private readonly vocabulary = new SortedWords<IndexedWord>();
  /** By prefix of at most {@link SHORT_PREFIX} code units: the files with a word starting with it. */
  private readonly shortPrefixes = new Map<string, SlotList>();
  private readonly sortedPostingFrom: number;

  constructor(options: SearchIndexOptions = {}) {
    this.sortedPostingFrom = Math.max(2, options.sortedPosting ?? SORTED_POSTING);
  }

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
      if (count === 0) {
        this.post(word, slot);
        this.coverPrefixes(word, slot, counts);
      }
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
      this.uncoverPrefixes(word, slot, counts);
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
    this.nameKeys[slot] = nameKey(sortName);
  }

  /**
   * Files matching every query word (the last as a prefix), best first: more exact word matches, more complete
   * holders, more partial holders, then name and id (so pages never overlap). Only files in the candidate sets are visited, driven by the smallest.
   */
  search(query: ParsedQuery, page: { offset: number; limit: number }): SearchPage {
    if (query.exact.length === 0) return this.searchPrefix(query.prefix, page);
    const exact: Posting[] = [];
    for (const word of query.exact) {
      const indexed = this.postings.get(word);
      if (indexed === undefined) return NO_MATCHES;
      exact.push(indexed.posting);
    }
    exact.sort((a, b) => postingSize(a) - postingSize(b));

    // The posting of the prefix as a whole word goes first: its files earn the exact-match bonus.
    const wholeWord = this.postings.get(query.prefix)?.posting;
    const prefixPostings: Posting[] = wholeWord === undefined ? [] : [wholeWord];
    const firstBonus = wholeWord === undefined ? 0 : 1;
    let prefixTotal = wholeWord === undefined ? 0 : postingSize(wholeWord);
    for (const { word, posting } of this.vocabulary.withPrefix(query.prefix)) {
      if (word === query.prefix) continue;
      prefixPostings.push(posting);
      prefixTotal += postingSize(posting);
    }
    if (prefixPostings.length === 0) return NO_MATCHES;

    // Candidates are encoded as slot * 2 + bonus, bonus = 1 when the prefix is one of the file's whole words.
    const candidates: number[] = [];
    const smallest = exact[0];
    if (smallest === undefined) {
      // One word: the hottest path, so no per-file call.
      const mark = this.nextSearch();
      const dedupe = prefixPostings.length > 1;
      const seenIn = this.seenIn;
      for (let i = 0; i < prefixPostings.length; i++) {
        const posting = prefixPostings[i] as Posting;
        const bonus = i === 0 ? firstBonus : 0;
        if (typeof posting === 'number') {
          if (seenIn[posting] === mark) continue;
          seenIn[posting] = mark;
          candidates.push(posting * 2 + bonus);
          continue;
        }
        for (const slot of posting) {
          if (dedupe) {
            if (seenIn[slot] === mark) continue;
            seenIn[slot] = mark;
          }
          candidates.push(slot * 2 + bonus);
        }
      }
    } else if (prefixTotal <= postingSize(smallest)) {
      const mark = this.nextSearch();
      const dedupe = prefixPostings.length > 1;
      const visit = (slot: number, bonus: number): void => {
        if (dedupe) {
          if (this.seenIn[slot] === mark) return;
          this.seenIn[slot] = mark;
        }
        if (inAll(exact, 0, slot)) candidates.push(slot * 2 + bonus);
      };
      for (let i = 0; i < prefixPostings.length; i++) {
        const posting = prefixPostings[i] as Posting;
        const bonus = i === 0 ? firstBonus : 0;
        if (typeof posting === 'number') visit(posting, bonus);
        else for (const slot of posting) visit(slot, bonus);
      }
    } else if (prefixTotal <= postingSize(smallest) * MARKING_PAYS_OFF) {
      // Walking the prefix postings once to mark their files (sequential and cheap) beats probing each of them for
      // every file of the smallest posting (a hash lookup each). Whole-word files get the second mark: the bonus.
      const mark = this.nextSearch();
      const wholeMark = this.nextSearch();
      for (let i = 0; i < prefixPostings.length; i++) {
        const posting = prefixPostings[i] as Posting;
        const value = i === 0 && firstBonus === 1 ? wholeMark : mark;
        if (typeof posting === 'number') {
          if (this.seenIn[posting] !== wholeMark) this.seenIn[posting] = value;
        } else {
          for (const slot of posting) if (this.seenIn[slot] !== wholeMark) this.seenIn[slot] = value;
        }
      }
      const visit = (slot: number): void => {
        const seen = this.seenIn[slot];
        if ((seen !== mark && seen !== wholeMark) || !inAll(exact, 1, slot)) return;
        candidates.push(slot * 2 + (seen === wholeMark ? 1 : 0));
      };
      if (typeof smallest === 'number') visit(smallest);
      else for (const slot of smallest) visit(slot);
    } else {
      // Few words with the prefix: ask their postings; many: scan the file's own (few) words instead.
      const few = prefixPostings.length <= 4;
      const visit = (slot: number): void => {
        if (!inAll(exact, 1, slot)) return;
        if (
          few
            ? !prefixPostings.some((posting) => postingHas(posting, slot))
            : !this.hasWordWithPrefix(slot, query.prefix)
        ) {
          return;
        }
        candidates.push(slot * 2 + (wholeWord !== undefined && postingHas(wholeWord, slot) ? 1 : 0));
      };
      if (typeof smallest === 'number') visit(smallest);
      else for (const slot of smallest) visit(slot);
    }
    const ranked = smallestK(candidates, page.offset + page.limit, this.compareCandidates);
    const hits = ranked.slice(page.offset).map((candidate) => ({
      fileId: this.ids[candidate >> 1] as string,
      exactMatches: query.exact.length + (candidate & 1),
    }));
    return { hits, total: candidates.length };
  }

  /**
   * One word, matched as a prefix: every matching file comes from sorted slot lists (the short prefix's own list, or
   * the postings of the words with the prefix), walked in step, so the total needs no set of seen files and ranking
   * reads the rank arrays in slot order. The files of the word itself come as one more sorted list, for the bonus.
   */
  private searchPrefix(prefix: string, page: { offset: number; limit: number }): SearchPage {
    const whole = this.postings.get(prefix);
    const bonus = whole === undefined ? undefined : this.sortedPosting(whole);
    let lists: Int32Array[];
    if (prefix.length <= SHORT_PREFIX) {
      const list = this.shortPrefixes.get(prefix);
      if (list === undefined) return NO_MATCHES;
      lists = [list.sorted()];
    } else {
      const entries = this.vocabulary.withPrefix(prefix);
      if (entries.length === 0) return NO_MATCHES;
      lists = [];
      const loose: number[] = [];
      const merged = entries.filter((entry) => entry.sorted !== undefined).length <= MAX_MERGED;
      for (const entry of entries) {
        if (entry === whole) continue;
        const { posting, sorted } = entry;
        if (merged && sorted !== undefined) lists.push(sorted.sorted());
        else if (typeof posting === 'number') loose.push(posting);
        else for (const slot of posting) loose.push(slot);
      }
      if (bonus !== undefined) lists.push(bonus);
      if (loose.length > 0) lists.push(sortedSlots(loose));
    }
    const candidates = unionWithBonus(lists, bonus ?? EMPTY_SLOTS);
    const ranked = smallestK(candidates, page.offset + page.limit, this.compareCandidates);
    const hits = ranked.slice(page.offset).map((candidate) => ({
      fileId: this.ids[candidate >> 1] as string,
      exactMatches: candidate & 1,
    }));
    return { hits, total: candidates.length };
  }

  private sortedPosting(indexed: IndexedWord): Int32Array {
    const { posting, sorted } = indexed;
    if (sorted !== undefined) return sorted.sorted();
    return typeof posting === 'number' ? Int32Array.of(posting) : sortedSlots(posting);
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
    const keyA = this.nameKeys[slotA] as number;
    const keyB = this.nameKeys[slotB] as number;
    if (keyA !== keyB) return keyA < keyB ? -1 : 1;
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
    this.nameKeys[slot] = 0;
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
    const indexed = this.postings.get(word);
    if (indexed === undefined) {
      const entry: IndexedWord = { word, removed: false, posting: slot, sorted: undefined };
      this.postings.set(word, entry);
      this.vocabulary.add(entry);
      return;
    }
    if (typeof indexed.posting === 'number') indexed.posting = new Set([indexed.posting, slot]);
    else indexed.posting.add(slot);
    if (indexed.sorted !== undefined) indexed.sorted.add(slot);
    else if (indexed.posting.size >= this.sortedPostingFrom) indexed.sorted = SlotList.of(indexed.posting);
  }

  private unpost(word: string, slot: number): void {
    const indexed = this.postings.get(word);
    if (indexed === undefined) return;
    const { posting } = indexed;
    if (typeof posting === 'number') {
      if (posting !== slot) return;
      this.postings.delete(word);
      this.vocabulary.delete(indexed);
      return;
    }
    posting.delete(slot);
    if (indexed.sorted !== undefined) {
      // Dropped below half the threshold (hysteresis), and always with the set: a lone slot has no sorted list.
      if (posting.size < this.sortedPostingFrom / 2 || posting.size === 1) indexed.sorted = undefined;
      else indexed.sorted.delete(slot);
    }
    // Back to a lone slot, as if it had only ever had one.
    if (posting.size === 1) indexed.posting = posting.values().next().value as number;
  }

  /** After `word` became one of the file's words: the file joins the lists of its short prefixes it was not in. */
  private coverPrefixes(word: string, slot: number, words: Map<string, number>): void {
    for (let length = sharedShortPrefix(words, word) + 1; length <= SHORT_PREFIX && length <= word.length; length++) {
      const prefix = word.slice(0, length);
      const list = this.shortPrefixes.get(prefix);
      if (list === undefined) this.shortPrefixes.set(prefix, SlotList.of([slot]));
      else list.add(slot);
    }
  }

  /** After `word` left the file's words: the file leaves the lists of short prefixes no other word of it has. */
  private uncoverPrefixes(word: string, slot: number, words: Map<string, number>): void {
    for (let length = sharedShortPrefix(words, word) + 1; length <= SHORT_PREFIX && length <= word.length; length++) {
      const prefix = word.slice(0, length);
      const list = this.shortPrefixes.get(prefix);
      if (list === undefined) continue;
      if (list.size === 1) this.shortPrefixes.delete(prefix);
      else list.delete(slot);
    }
  }
}
