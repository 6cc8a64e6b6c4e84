import {
  FILE_KINDS,
  extensionOf,
  hasNameTerms,
  isEmptyQuery,
  tokenize,
  type FileKind,
  type SearchQuery,
  type SearchSort,
} from '@shoal/common';
import { nameKey, NO_BONUS, rankKey, rankTail } from './rank-key.ts';
import { SlotColumns } from './slot-columns.ts';
import { SlotList, sortedSlots } from './slot-list.ts';
import { SortedWords, type VocabularyEntry } from './sorted-words.ts';
import { KeyedTopK, type KeyedOrder } from './top-k.ts';
import { Candidates } from './candidates.ts';
import { isAscii, PhraseMatcher } from './phrase-matcher.ts';
import { addPairs, mayHold, type PairSignature } from './word-pairs.ts';
import { intersectSorted, intersectTwo, SortedCursor, sortedHas, SortedUnion } from './sorted-slots.ts';

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

/** Which page of which order a search wants. */
export interface PageRequest {
  offset: number;
  limit: number;
  /** `relevance` when not given. */
  sort?: SearchSort;
}

const NO_MATCHES: SearchPage = { hits: [], total: 0 };

/**
 * Kinds and extensions are indexed next to words, as keys no word can be (words never hold punctuation): `:video`
 * for a holding of that kind, `.pdf` for a name with that extension. They count and post like words, but stay out of
 * the vocabulary, so no prefix ever reaches them.
 */
const KIND_MARK = ':';
const EXTENSION_MARK = '.';

/** The key of each kind, made once (not a new string per holding). */
const KIND_KEYS = Object.fromEntries(FILE_KINDS.map((kind) => [kind, KIND_MARK + kind])) as Record<FileKind, string>;

function isFacet(key: string): boolean {
  return key.startsWith(KIND_MARK) || key.startsWith(EXTENSION_MARK);
}

/** The filters whose posting lists can gather a query's candidates when it has no words. */
type Facet = 'kinds' | 'extensions';

/** Bit of a kind in {@link SlotColumns.kinds}. */
function kindBit(kind: FileKind): number {
  return 1 << FILE_KINDS.indexOf(kind);
}

/** Extensions get numbers for {@link SlotColumns.extension} up to this many; later ones are looked up by name. */
const MAX_NUMBERED_EXTENSIONS = 65_535;

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

/** Writes sorted, distinct slots as candidates: slot * 2 + 1 when the sorted `bonus` list has the slot, else slot * 2. */
function putWithBonus(slots: Int32Array, bonus: Int32Array, out: Candidates): void {
  const values = out.reserve(slots.length);
  const inBonus = new SortedCursor(bonus);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    values[i] = slot * 2 + (inBonus.has(slot) ? 1 : 0);
  }
  out.length = slots.length;
  out.ordered = true;
}

/**
 * A name as the index keeps it for phrases: lower-cased when it is plain ASCII, so a phrase check of a file reads its
 * name as it is (folding ASCII only lowers its case) instead of lowering a copy for every check.
 */
function storedText(text: string): string {
  return isAscii(text) ? text.toLowerCase() : text;
}

/** Keeps the candidates (slot * 2 + bonus) whose size is within bounds; returns how many. */
function keepSizes(values: Int32Array, count: number, size: Float64Array, min: number, max: number): number {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const candidate = values[i] as number;
    const bytes = size[candidate >> 1] as number;
    if (bytes >= min && bytes <= max) values[kept++] = candidate;
  }
  return kept;
}

/** Keeps the candidates of one of the kinds in `mask`. */
function keepKinds(values: Int32Array, count: number, kinds: Uint8Array, mask: number): number {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const candidate = values[i] as number;
    if (((kinds[candidate >> 1] as number) & mask) !== 0) values[kept++] = candidate;
  }
  return kept;
}

/** Keeps the candidates not marked with `mark`. */
function keepUnmarked(values: Int32Array, count: number, marks: number[], mark: number): number {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const candidate = values[i] as number;
    if (marks[candidate >> 1] !== mark) values[kept++] = candidate;
  }
  return kept;
}

/** Keeps the candidates (in increasing order) whose slot is not in the sorted list `excluded`. */
function keepNotIn(values: Int32Array, count: number, excluded: Int32Array): number {
  const inExcluded = new SortedCursor(excluded);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const candidate = values[i] as number;
    if (!inExcluded.has(candidate >> 1)) values[kept++] = candidate;
  }
  return kept;
}

/** Keeps the candidates whose word-pair signature (in `signatures`, see {@link SlotColumns.pairs}) may hold `pairs`. */
function keepPairs(values: Int32Array, count: number, signatures: Int32Array, pairs: PairSignature) {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const candidate = values[i] as number;
    // The slot's low half is at slot * 2: the candidate without its bonus bit.
    const at = candidate & ~1;
    if (mayHold(signatures[at] as number, signatures[at + 1] as number, pairs)) values[kept++] = candidate;
  }
  return kept;
}

/** Keeps the candidates whose slot passes `keep` (for the costlier checks, which few candidates reach). */
function keepWhere(values: Int32Array, count: number, keep: (slot: number) => boolean): number {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const candidate = values[i] as number;
    if (keep(candidate >> 1)) values[kept++] = candidate;
  }
  return kept;
}

/**
 * When the prefix's files number at most this many times the smallest exact word's, marking them all is cheaper
 * than probing their sets per candidate (measured at a million files: "night love" 46 ms by probing).
 */
const MARKING_PAYS_OFF = 8;

/**
 * An inverted index from folded words to files, with prefix lookups on the last query word, and the kinds,
 * extensions, sizes and ages that filters and orders need. Pure data: it knows nothing of peers or sockets.
 *
 * A file may be indexed under several texts (the names its holders gave it); {@link add} and {@link remove} count
 * them, so a word stays indexed while any text of the file still holds it. Its kinds are counted per holding with
 * {@link addKind}. The owner keeps each file's rank fields current with {@link setRank}, and its size and first
 * registration with {@link setFacts}.
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
  /**
   * By slot: the texts (names) the file is indexed under, to check phrases, ASCII ones lower-cased (see
   * {@link storedText}); one text is kept bare.
   */
  private readonly texts: (string | string[] | undefined)[] = [];
  /** By slot: what filters and orders read. */
  private readonly columns = new SlotColumns();
  /** Reused by every search (see {@link Candidates}). */
  private readonly candidates = new Candidates();
  private readonly union = new SortedUnion();
  /** Reused by every search: ranks its candidates for the page. */
  private readonly topK = new KeyedTopK(0, { first: () => 0, second: () => 0, compare: () => 0 });
  /**
   * Reused by every search with a prefix and common whole words: the files with all those words, and the files of
   * each prefix word among them.
   */
  private readonly exactScratch = new Candidates();
  private readonly prefixScratch = new Candidates();
  /** Extension -> its number in {@link SlotColumns.extension} (from 1). */
  private readonly extensionIds = new Map<string, number>();

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

  /** Indexes `fileId` under the words and the extension of `text` (one more text for the file). */
  add(fileId: string, text: string): void {
    const textWords = tokenize(text);
    const keys = new Set(textWords);
    if (keys.size === 0) return;
    const extension = extensionOf(text);
    if (extension !== '') keys.add(EXTENSION_MARK + extension);
    const slot = this.slotOf.get(fileId) ?? this.allocate(fileId);
    const counts = this.words[slot] as Map<string, number>;
    let extensionsChanged = false;
    for (const key of keys) {
      const count = counts.get(key);
      if (count !== undefined) {
        counts.set(key, count + 1);
        continue;
      }
      // The file keeps the index's own copy of the word (a million names would otherwise keep a million copies).
      const indexed = this.postings.get(key);
      counts.set(indexed?.word ?? key, 1);
      this.post(key, slot, indexed);
      if (isFacet(key)) extensionsChanged = true;
      else this.coverPrefixes(key, slot, counts);
    }
    const texts = this.texts[slot];
    const stored = storedText(text);
    this.texts[slot] = texts === undefined ? stored : typeof texts === 'string' ? [texts, stored] : [...texts, stored];
    this.columns.setPairs(slot, addPairs(this.columns.pairsOf(slot), textWords));
    if (extensionsChanged) this.numberExtension(slot, counts);
  }

  /** Undoes one {@link add} of the same text; words no other text of the file holds leave the index. */
  remove(fileId: string, text: string): void {
    const slot = this.slotOf.get(fileId);
    if (slot === undefined) return;
    const keys = new Set(tokenize(text));
    if (keys.size === 0) return;
    const extension = extensionOf(text);
    if (extension !== '') keys.add(EXTENSION_MARK + extension);
    const counts = this.words[slot] as Map<string, number>;
    let extensionsChanged = false;
    for (const key of keys) {
      const count = counts.get(key);
      if (count === undefined) continue;
      if (count > 1) {
        counts.set(key, count - 1);
        continue;
      }
      counts.delete(key);
      this.unpost(key, slot);
      if (isFacet(key)) extensionsChanged = true;
      else this.uncoverPrefixes(key, slot, counts);
    }
    const texts = this.texts[slot];
    const stored = storedText(text);
    if (texts === stored) this.texts[slot] = undefined;
    else if (Array.isArray(texts)) {
      const at = texts.indexOf(stored);
      const left = at === -1 ? texts : texts.filter((_, i) => i !== at);
      this.texts[slot] = left.length === 1 ? left[0] : left;
    }
    if (counts.size === 0) {
      this.release(fileId, slot);
      return;
    }
    // Pair bits cannot be taken out one text at a time: the texts left make them again.
    let pairs: PairSignature = { low: 0, high: 0 };
    for (const words of this.textWordsOf(slot)) pairs = addPairs(pairs, words);
    this.columns.setPairs(slot, pairs);
    if (extensionsChanged) this.numberExtension(slot, counts);
  }

  /** Counts one holding of `fileId` that makes it a file of `kind` (by its name's extension or its media type). */
  addKind(fileId: string, kind: FileKind): void {
    const slot = this.slotOf.get(fileId) ?? this.allocate(fileId);
    const counts = this.words[slot] as Map<string, number>;
    const key = KIND_KEYS[kind];
    const count = counts.get(key) ?? 0;
    counts.set(key, count + 1);
    if (count > 0) return;
    this.post(key, slot);
    (this.columns.kinds[slot] as number) |= kindBit(kind);
  }

  /** Undoes one {@link addKind}. */
  removeKind(fileId: string, kind: FileKind): void {
    const slot = this.slotOf.get(fileId);
    if (slot === undefined) return;
    const counts = this.words[slot] as Map<string, number>;
    const key = KIND_KEYS[kind];
    const count = counts.get(key);
    if (count === undefined) return;
    if (count > 1) {
      counts.set(key, count - 1);
      return;
    }
    counts.delete(key);
    this.unpost(key, slot);
    (this.columns.kinds[slot] as number) &= ~kindBit(kind);
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
    // Most files have one name, kept lower-cased in `texts` already: the rank keeps that string, not a copy.
    const texts = this.texts[slot];
    this.sortNames[slot] = texts === sortName ? texts : sortName;
    const key = nameKey(sortName);
    this.nameKeys[slot] = key;
    this.columns.rank[slot] = rankKey(holders, partialHolders, key);
    this.columns.rankTail[slot] = rankTail(holders, partialHolders, sortName);
    this.columns.sources[slot] = holders + partialHolders;
  }

  /** Sets the size a file is filtered and sorted by, and when its content was first registered. */
  setFacts(fileId: string, size: number, firstSeen: number): void {
    const slot = this.slotOf.get(fileId);
    if (slot === undefined) return;
    this.columns.size[slot] = size;
    this.columns.firstSeen[slot] = firstSeen;
  }

  /**
   * Files matching the query, in the order asked for, one page of them. Words narrow the files through their
   * postings (the last bare word as a prefix), and so do kinds and extensions when the query has no words; the other
   * filters (size, exclusions, phrases, and kinds and extensions next to words) are checked on what is left.
   *
   * Relevance ranks files by how many query words they hold whole, then more complete holders, more partial holders,
   * then name and id (so pages never overlap); the other orders come first and then fall back on relevance.
   */
  search(query: SearchQuery, page: PageRequest): SearchPage {
    if (isEmptyQuery(query)) return NO_MATCHES;
    const gatheredBy = this.gather(query);
    const candidates = this.candidates;
    // Each filter is one pass over the candidates that keeps those passing, in place: a tight loop over one column
    // each, which costs a few nanoseconds per candidate where one check of every filter per candidate cost tens.
    const count = this.keepPassing(query, gatheredBy, candidates);
    const values = candidates.values;

    const sort = page.sort ?? 'relevance';
    const { order, column, sign, noBonus, secondColumn, secondNoBonus } = this.orderOf(sort);
    const top = this.topK;
    top.reset(page.offset + page.limit, order);
    const { bar, next } = top;
    // Candidates are mostly in slot order, and slots mostly handed out in the order files arrive: newest first, they
    // are walked last to first, so the newest fill the page at once and the rest are turned away by one comparison
    // each (not pushed in one by one).
    const backwards = sort === 'newest';
    // The bar in a local, read again only after an offer (which may lower it).
    let limit = bar[0] as number;
    for (let n = 0; n < count; n++) {
      const candidate = values[backwards ? count - 1 - n : n] as number;
      // The order's first key, read here: most candidates stop at this comparison, without a call.
      const first = sign * (column[candidate >> 1] as number) + (candidate & 1 ? 0 : noBonus);
      if (first > limit) continue;
      next[0] = first;
      next[1] = (secondColumn[candidate >> 1] as number) + (candidate & 1 ? 0 : secondNoBonus);
      top.offerNext(candidate);
      limit = bar[0] as number;
    }
    const ranked = top.sorted();
    const hits: SearchHit[] = [];
    for (let i = page.offset; i < ranked.length; i++) {
      const candidate = ranked[i] as number;
      hits.push({ fileId: this.ids[candidate >> 1] as string, exactMatches: query.words.length + (candidate & 1) });
    }
    return { hits, total: count };
  }

  /**
   * The query's candidates into {@link candidates} (slot * 2 + bonus): the files holding its words
   * and prefix; without words, those of its kinds or extensions; with neither, every file. Answers the facet the
   * candidates came from, whose filter they all pass already.
   */
  private gather(query: SearchQuery): Facet | null {
    const candidates = this.candidates;
    candidates.clear();
    if (hasNameTerms(query)) {
      this.nameCandidates(query);
      return null;
    }
    const { facet, lists } = this.facetLists(query);
    if (lists === null) {
      const ids = this.ids;
      const values = candidates.reserve(ids.length);
      let count = 0;
      for (let slot = 0; slot < ids.length; slot++) if (ids[slot] !== '') values[count++] = slot * 2;
      candidates.length = count;
      candidates.ordered = true;
    } else if (lists.length === 1) {
      const list = lists[0] as Int32Array;
      const values = candidates.reserve(list.length);
      for (let i = 0; i < list.length; i++) values[i] = (list[i] as number) * 2;
      candidates.length = list.length;
      candidates.ordered = true;
    } else {
      putWithBonus(this.union.of(lists), EMPTY_SLOTS, candidates);
    }
    return facet;
  }

  /** Files whose words hold every query word and the prefix, into {@link candidates} (slot * 2 + bonus). */
  private nameCandidates(query: SearchQuery): void {
    const { words, prefix } = query;
    if (words.length === 0) {
      if (prefix !== null) this.prefixCandidates(prefix);
      return;
    }
    const exactWords: IndexedWord[] = [];
    for (const word of words) {
      const indexed = this.postings.get(word);
      if (indexed === undefined) return;
      exactWords.push(indexed);
    }
    if (exactWords.every((indexed) => indexed.sorted !== undefined)) {
      this.sortedNameCandidates(exactWords, prefix);
      return;
    }
    const exact = exactWords.map((indexed) => indexed.posting);
    exact.sort((a, b) => postingSize(a) - postingSize(b));
    const candidates = this.candidates;
    const smallest = exact[0] as Posting;
    if (prefix === null) {
      // Every word whole: the files of the rarest one that hold the others.
      if (typeof smallest === 'number') {
        if (inAll(exact, 1, smallest)) candidates.push(smallest * 2);
      } else {
        for (const slot of smallest) if (inAll(exact, 1, slot)) candidates.push(slot * 2);
      }
      return;
    }

    // The posting of the prefix as a whole word goes first: its files earn the exact-match bonus.
    const wholeWord = this.postings.get(prefix)?.posting;
    const prefixPostings: Posting[] = wholeWord === undefined ? [] : [wholeWord];
    const firstBonus = wholeWord === undefined ? 0 : 1;
    let prefixTotal = wholeWord === undefined ? 0 : postingSize(wholeWord);
    for (const { word, posting } of this.vocabulary.withPrefix(prefix)) {
      if (word === prefix) continue;
      prefixPostings.push(posting);
      prefixTotal += postingSize(posting);
    }
    if (prefixPostings.length === 0) return;

    if (prefixTotal <= postingSize(smallest)) {
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
          few ? !prefixPostings.some((posting) => postingHas(posting, slot)) : !this.hasWordWithPrefix(slot, prefix)
        ) {
          return;
        }
        candidates.push(slot * 2 + (wholeWord !== undefined && postingHas(wholeWord, slot) ? 1 : 0));
      };
      if (typeof smallest === 'number') visit(smallest);
      else for (const slot of smallest) visit(slot);
    }
  }

  /**
   * {@link nameCandidates} when every whole query word is a common one (in at least {@link SORTED_POSTING} files,
   * so it keeps its posting sorted): their sorted lists are intersected in step, then those files are matched against
   * the prefix's words (see {@link prefixMatchesAmong}). The candidates come out in slot order, so the filters and the
   * ranking after read the columns in order too.
   */
  private sortedNameCandidates(exactWords: IndexedWord[], prefix: string | null): void {
    const lists = exactWords.map((indexed) => (indexed.sorted as SlotList).sorted());
    lists.sort((a, b) => a.length - b.length);
    const candidates = this.candidates;
    candidates.ordered = true;
    if (prefix === null) {
      const values = candidates.reserve((lists[0] as Int32Array).length);
      const count = intersectSorted(lists, values);
      for (let i = 0; i < count; i++) values[i] = (values[i] as number) * 2;
      candidates.length = count;
      return;
    }
    // One whole word (the usual "report quarterly"): its own list, not a copy.
    let exact = lists[0] as Int32Array;
    if (lists.length > 1) {
      const scratch = this.exactScratch.reserve(exact.length);
      exact = scratch.subarray(0, intersectSorted(lists, scratch));
    }
    const matches = this.prefixMatchesAmong(prefix, exact);
    if (matches !== null) {
      putWithBonus(matches.slots, matches.bonus, candidates);
      return;
    }
    // The prefix's rare words hold many more files than the exact words leave: each file's own words are read.
    const whole = this.postings.get(prefix);
    const bonus = whole === undefined ? null : new SortedCursor(this.sortedPosting(whole));
    const values = candidates.reserve(exact.length);
    let kept = 0;
    for (let i = 0; i < exact.length; i++) {
      const slot = exact[i] as number;
      // The bonus first: a file holding the prefix as a whole word holds a word starting with it.
      if (bonus?.has(slot)) values[kept++] = slot * 2 + 1;
      else if (this.hasWordWithPrefix(slot, prefix)) values[kept++] = slot * 2;
    }
    candidates.length = kept;
  }

  /**
   * Of the files `exact` (sorted), those with a word starting with `prefix`, sorted, and a sorted list of files holding
   * the prefix as a whole word (those earn the bonus); null when the prefix's rare words (no sorted list) hold more
   * than four times as many files as `exact`, for which reading each file's own words is cheaper.
   *
   * `exact` is intersected with the short prefix's list, or with each word of the prefix on its own (the shorter list
   * walked, the longer galloped), and a rare word's files are looked up in `exact` one by one, so the cost follows
   * the smaller side of each pair. Marking the prefix's files and then asking about each file of `exact` cost a
   * read of a million-slot array per file of `exact`, a cache miss each: 3 to 8 ms for "report quarterly" or
   * "paris portrait" (30,000 files of `exact`), where intersecting takes a tenth of a millisecond.
   */
  private prefixMatchesAmong(prefix: string, exact: Int32Array): { slots: Int32Array; bonus: Int32Array } | null {
    const whole = this.postings.get(prefix);
    const bonus = whole === undefined ? EMPTY_SLOTS : this.sortedPosting(whole);
    const scratch = this.prefixScratch;
    if (prefix.length <= SHORT_PREFIX) {
      const list = this.shortPrefixes.get(prefix);
      if (list === undefined) return { slots: EMPTY_SLOTS, bonus };
      const prefixed = list.sorted();
      const out = scratch.reserve(Math.min(exact.length, prefixed.length));
      return { slots: out.subarray(0, intersectTwo(exact, prefixed, out, 0)), bonus };
    }
    const entries = this.vocabulary.withPrefix(prefix);
    let rareFiles = 0;
    let room = 0;
    for (const { posting, sorted } of entries) {
      if (sorted === undefined) rareFiles += postingSize(posting);
      room += Math.min(postingSize(posting), exact.length);
    }
    if (rareFiles > exact.length * 4) return null;
    const out = scratch.reserve(room);
    // One sorted run per common word, then one run of the rare words' files (sorted once filled; it may repeat a
    // file that has two of them, which the union drops).
    const runs: Int32Array[] = [];
    let end = 0;
    for (const { sorted } of entries) {
      if (sorted === undefined) continue;
      const start = end;
      end = intersectTwo(exact, sorted.sorted(), out, end);
      if (end > start) runs.push(out.subarray(start, end));
    }
    const commonRuns = runs.length;
    const looseStart = end;
    for (const { posting, sorted } of entries) {
      if (sorted !== undefined) continue;
      if (typeof posting === 'number') {
        if (sortedHas(exact, posting)) out[end++] = posting;
      } else {
        for (const slot of posting) if (sortedHas(exact, slot)) out[end++] = slot;
      }
    }
    if (end > looseStart) runs.push(out.subarray(looseStart, end).sort());
    if (runs.length === 0) return { slots: EMPTY_SLOTS, bonus };
    // A lone common word's run has each file once already.
    if (runs.length === 1 && commonRuns === 1) return { slots: runs[0] as Int32Array, bonus };
    return { slots: this.union.of(runs), bonus };
  }

  /**
   * One word, matched as a prefix: every matching file comes from sorted slot lists (the short prefix's own list, or
   * the postings of the words with the prefix), walked in step, so the total needs no set of seen files and the
   * columns are read in slot order. The files of the word itself come as one more sorted list, for the bonus.
   */
  private prefixCandidates(prefix: string): void {
    const whole = this.postings.get(prefix);
    const bonus = whole === undefined ? undefined : this.sortedPosting(whole);
    let lists: Int32Array[];
    if (prefix.length <= SHORT_PREFIX) {
      const list = this.shortPrefixes.get(prefix);
      if (list === undefined) return;
      lists = [list.sorted()];
    } else {
      const entries = this.vocabulary.withPrefix(prefix);
      if (entries.length === 0) return;
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
    putWithBonus(this.union.of(lists), bonus ?? EMPTY_SLOTS, this.candidates);
  }

  /**
   * For a query without words: the sorted slot lists of its wanted extensions, or of its wanted kinds (whichever
   * holds fewer files), one per extension or kind, and which of the two they are; `null` lists when it names neither
   * (every file is a candidate).
   */
  private facetLists(query: SearchQuery): { facet: Facet | null; lists: Int32Array[] | null } {
    const groups: { facet: Facet; keys: string[] }[] = [
      { facet: 'extensions', keys: query.extensions.map((extension) => EXTENSION_MARK + extension) },
      { facet: 'kinds', keys: query.kinds.map((kind) => KIND_MARK + kind) },
    ];
    let best: { facet: Facet | null; lists: Int32Array[] | null } = { facet: null, lists: null };
    let bestSize = Infinity;
    for (const { facet, keys } of groups) {
      if (keys.length === 0) continue;
      const lists: Int32Array[] = [];
      let size = 0;
      for (const key of keys) {
        const indexed = this.postings.get(key);
        if (indexed === undefined) continue;
        lists.push(this.sortedPosting(indexed));
        size += postingSize(indexed.posting);
      }
      if (size < bestSize) {
        best = { facet, lists };
        bestSize = size;
      }
    }
    return best;
  }

  /**
   * Keeps, at the front of the candidates' values, those (slot * 2 + bonus) that pass the query's filters, cheapest
   * filter first; returns how many. Each filter is its own pass (see `search`).
   */
  private keepPassing(query: SearchQuery, gatheredBy: Facet | null, candidates: Candidates): number {
    const { values, length: count, ordered } = candidates;
    const { size, kinds, extension, pairs: signatures } = this.columns;
    const { minSize, maxSize } = query;
    let kept = count;
    if (minSize > 0 || maxSize < Infinity) kept = keepSizes(values, kept, size, minSize, maxSize);
    let kindMask = 0;
    for (const kind of query.kinds) kindMask |= kindBit(kind);
    if (kindMask !== 0 && gatheredBy !== 'kinds') kept = keepKinds(values, kept, kinds, kindMask);
    if (query.extensions.length > 0 && gatheredBy !== 'extensions') {
      const ids = query.extensions.map((name) => this.extensionIds.get(name) ?? -2);
      const keys = query.extensions.map((name) => EXTENSION_MARK + name);
      kept = keepWhere(values, kept, (slot) => this.hasExtension(slot, extension[slot] as number, ids, keys));
    }

    for (const sequence of query.excluded) kept = this.dropHolding(sequence, values, kept, ordered);
    if (query.phrases.length > 0) {
      // Phrases need the words in order: the file's own texts are read, unless its word pairs rule a phrase out.
      const pairs = query.phrases.reduce((all: PairSignature, phrase) => addPairs(all, phrase), { low: 0, high: 0 });
      kept = keepPairs(values, kept, signatures, pairs);
      for (const phrase of query.phrases) {
        const matcher = new PhraseMatcher(phrase);
        kept = keepWhere(values, kept, (slot) => this.someText(slot, matcher));
      }
    }
    return kept;
  }

  /**
   * Keeps the candidates whose names do not hold `sequence` (one excluded word, or an excluded phrase); returns how
   * many. `ordered`: the candidates are in slot order, so a common word's sorted list can be walked alongside.
   */
  private dropHolding(sequence: readonly string[], values: Int32Array, count: number, ordered: boolean): number {
    const words = sequence.map((word) => this.postings.get(word));
    if (words.some((indexed) => indexed === undefined)) return count; // no file holds it all
    const indexed = words as IndexedWord[];
    if (sequence.length > 1) {
      const held = indexed.map((word) => word.posting);
      const pairs = addPairs({ low: 0, high: 0 }, sequence);
      const matcher = new PhraseMatcher(sequence);
      const signatures = this.columns.pairs;
      return keepWhere(
        values,
        count,
        (slot) =>
          !(
            mayHold(signatures[slot * 2] as number, signatures[slot * 2 + 1] as number, pairs) &&
            inAll(held, 0, slot) &&
            this.someText(slot, matcher)
          ),
      );
    }
    const { posting, sorted } = indexed[0] as IndexedWord;
    if (ordered && sorted !== undefined) return keepNotIn(values, count, sorted.sorted());
    // A posting much larger than the candidates left is asked per candidate; else its files are marked, once.
    if (postingSize(posting) > count * 4) return keepWhere(values, count, (slot) => !postingHas(posting, slot));
    const mark = this.nextSearch();
    if (typeof posting === 'number') this.seenIn[posting] = mark;
    else for (const slot of posting) this.seenIn[slot] = mark;
    return keepUnmarked(values, count, this.seenIn, mark);
  }

  /** Whether a file has a name with one of the extensions (`ids` their numbers, -2 for one never numbered). */
  private hasExtension(slot: number, own: number, ids: readonly number[], keys: readonly string[]): boolean {
    if (own > 0) return ids.includes(own);
    if (own === 0) return false;
    const counts = this.words[slot] as Map<string, number>;
    return keys.some((key) => counts.has(key));
  }

  /** Whether one of a file's texts holds the phrase. */
  private someText(slot: number, phrase: PhraseMatcher): boolean {
    const texts = this.texts[slot];
    if (texts === undefined) return false;
    if (typeof texts === 'string') {
      // An ASCII text is kept lower-cased (see `storedText`): scanning it costs less than a column read would, a
      // cache miss at a million files.
      const ascii = isAscii(texts);
      return phrase.heldBy(texts, ascii, ascii);
    }
    for (const text of texts) {
      const ascii = isAscii(text);
      if (phrase.heldBy(text, ascii, ascii)) return true;
    }
    return false;
  }

  /** The words of each text of a file, in order. */
  private textWordsOf(slot: number): string[][] {
    const texts = this.texts[slot];
    if (texts === undefined) return [];
    return typeof texts === 'string' ? [tokenize(texts)] : texts.map((text) => tokenize(text));
  }

  /** Numbers the file's extension for the filters: one extension, none (0), or several (-1, looked up by name). */
  private numberExtension(slot: number, counts: Map<string, number>): void {
    let found: string | undefined;
    let several = false;
    for (const key of counts.keys()) {
      if (!key.startsWith(EXTENSION_MARK)) continue;
      if (found !== undefined) several = true;
      found = key.slice(1);
    }
    let id = 0;
    if (several) id = -1;
    else if (found !== undefined) {
      id = this.extensionIds.get(found) ?? -1;
      if (id === -1 && this.extensionIds.size < MAX_NUMBERED_EXTENSIONS) {
        id = this.extensionIds.size + 1;
        this.extensionIds.set(found, id);
      }
    }
    this.columns.extension[slot] = id;
  }

  /**
   * The order of a sort over candidates (slot * 2 + bonus); every order ends with relevance. Its first key is
   * `sign * column[slot]`, plus `noBonus` for a candidate without the bonus; its second `secondColumn[slot]`, plus
   * `secondNoBonus` likewise.
   */
  private orderOf(sort: SearchSort): {
    order: KeyedOrder;
    column: Float64Array | Int32Array;
    sign: number;
    noBonus: number;
    secondColumn: Float64Array;
    secondNoBonus: number;
  } {
    const { rank, rankTail, size, firstSeen, sources } = this.columns;
    const relevance = (candidate: number): number => (rank[candidate >> 1] as number) + (candidate & 1 ? 0 : NO_BONUS);
    const compare = this.compareCandidates;
    if (sort === 'relevance') {
      // Files with the same holders whose names start alike (thousands of "img_…") tie on the rank key: the tail
      // key tells most of them apart without comparing their names.
      const tail = (candidate: number): number => rankTail[candidate >> 1] as number;
      const order = { first: relevance, second: tail, compare: this.compareTied };
      return { order, column: rank, sign: 1, noBonus: NO_BONUS, secondColumn: rankTail, secondNoBonus: 0 };
    }
    const column = sort === 'size' ? size : sort === 'sources' ? sources : firstSeen;
    // Larger first.
    const first = (candidate: number): number => -(column[candidate >> 1] as number);
    const order = { first, second: relevance, compare: (a: number, b: number) => first(a) - first(b) || compare(a, b) };
    return { order, column, sign: -1, noBonus: 0, secondColumn: rank, secondNoBonus: NO_BONUS };
  }

  private sortedPosting(indexed: IndexedWord): Int32Array {
    const { posting, sorted } = indexed;
    if (sorted !== undefined) return sorted.sorted();
    return typeof posting === 'number' ? Int32Array.of(posting) : sortedSlots(posting);
  }

  /**
   * {@link compareCandidates} for candidates whose rank keys and tails are equal, as the top-k compares them. A tail
   * other than 0 says the rank key holds the holder counts and the name's first units exactly (see `rankTail`), so
   * equal keys mean equal holders and names alike up to the tail's end: only the names and ids are left to compare.
   * Reading the holder counts and name keys too cost three more cache misses per candidate at a million files, and
   * every one of the 5,652 matches of "report quarterly" ties ("quarterly report 2019 …").
   */
  private readonly compareTied = (a: number, b: number): number => {
    if (this.columns.rankTail[a >> 1] === 0) return this.compareCandidates(a, b);
    return this.compareNames(a >> 1, b >> 1);
  };

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
    return this.compareNames(slotA, slotB);
  };

  /** The last steps of every order: the files' sort names, then their ids. */
  private compareNames(slotA: number, slotB: number): number {
    const nameA = this.sortNames[slotA] as string;
    const nameB = this.sortNames[slotB] as string;
    if (nameA !== nameB) return nameA < nameB ? -1 : 1;
    const idA = this.ids[slotA] as string;
    const idB = this.ids[slotB] as string;
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  }

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
    this.texts[slot] = undefined;
    this.columns.ensure(slot);
    this.columns.clear(slot);
    return slot;
  }

  private release(fileId: string, slot: number): void {
    this.slotOf.delete(fileId);
    this.ids[slot] = '';
    this.words[slot] = undefined;
    this.sortNames[slot] = '';
    this.texts[slot] = undefined;
    this.freeSlots.push(slot);
  }

  private post(word: string, slot: number, indexed = this.postings.get(word)): void {
    if (indexed === undefined) {
      const entry: IndexedWord = { word, removed: false, posting: slot, sorted: undefined };
      this.postings.set(word, entry);
      if (!isFacet(word)) this.vocabulary.add(entry);
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
      if (!isFacet(word)) this.vocabulary.delete(indexed);
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
