import { tokenize } from '@shoal/common';
import type { ParsedQuery } from './query.ts';
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
}

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
    this.nameKeys[slot] = nameKey(sortName);
  }

  /**
   * Files matching every query word (the last as a prefix), best first: more exact word matches, more complete
   * holders, more partial holders, then name and id (so pages never overlap). Only files in the candidate sets are visited, driven by the smallest.
   */
  search(query: ParsedQuery, page: { offset: number; limit: number }): SearchPage {
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
      const entry: IndexedWord = { word, removed: false, posting: slot };
      this.postings.set(word, entry);
      this.vocabulary.add(entry);
    } else if (typeof indexed.posting === 'number') {
      indexed.posting = new Set([indexed.posting, slot]);
    } else {
      indexed.posting.add(slot);
    }
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
    // Back to a lone slot, as if it had only ever had one.
    if (posting.size === 1) indexed.posting = posting.values().next().value as number;
  }
}
