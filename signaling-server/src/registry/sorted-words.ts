/** What {@link SortedWords} keeps in order: a word and whatever its owner hangs on it. */
export interface VocabularyEntry {
  readonly word: string;
  /** Set by {@link SortedWords.delete}; a removed entry is never returned again. */
  removed: boolean;
}

/** First index in sorted `entries` whose word is not less than `word` (UTF-16 code unit order). */
function lowerBound(entries: readonly VocabularyEntry[], word: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((entries[mid] as VocabularyEntry).word < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges two sorted arrays of entries with distinct words, leaving out removed entries. */
function mergeSorted<T extends VocabularyEntry>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    const next = y === undefined || (x !== undefined && x.word < y.word) ? (i++, x) : (j++, y);
    if (next !== undefined && !next.removed) out.push(next);
  }
  return out;
}

/**
 * The distinct words of a search index, sorted, so all words starting with a prefix are two binary searches away
 * and come out as one run of entries: whatever the owner keeps per word is read straight from them, without a hash
 * lookup per word (a prefix such as "dsc" spans tens of thousands of camera file names).
 *
 * A plain sorted array costs a full shift per new word, which at a million words makes registering a batch slow.
 * So new words go to a small sorted side array that is merged in once it outgrows the square root of the main one
 * (amortised O(√n) per insert), and removed entries are only flagged and swept out once they are a quarter of the
 * main array. Lookups binary-search both arrays and skip flagged entries, so they always see exactly the current
 * words.
 */
export class SortedWords<T extends VocabularyEntry> {
  private main: T[] = [];
  private pending: T[] = [];
  /** Entries still in `main` that were removed. */
  private removedInMain = 0;

  /** Number of distinct words. */
  get size(): number {
    return this.main.length - this.removedInMain + this.pending.length;
  }

  /** Adds an entry; a no-op if a live entry has the same word already. */
  add(entry: T): void {
    entry.removed = false;
    const i = lowerBound(this.main, entry.word);
    const there = this.main[i];
    if (there?.word === entry.word) {
      if (!there.removed) return;
      this.main[i] = entry;
      this.removedInMain--;
      return;
    }
    const j = lowerBound(this.pending, entry.word);
    if (this.pending[j]?.word === entry.word) return;
    this.pending.splice(j, 0, entry);
    if (this.pending.length > Math.max(256, Math.sqrt(this.main.length))) {
      this.main = mergeSorted(this.main, this.pending);
      this.pending = [];
      this.removedInMain = 0;
    }
  }

  /** Removes an entry (a no-op if it is not in). */
  delete(entry: T): void {
    if (entry.removed) return;
    const j = lowerBound(this.pending, entry.word);
    if (this.pending[j] === entry) {
      this.pending.splice(j, 1);
      entry.removed = true;
      return;
    }
    if (this.main[lowerBound(this.main, entry.word)] !== entry) return;
    entry.removed = true;
    this.removedInMain++;
    if (this.removedInMain > Math.max(1024, this.main.length / 4)) {
      this.main = this.main.filter((e) => !e.removed);
      this.removedInMain = 0;
    }
  }

  /** Every entry whose word starts with `prefix` (in no particular order). */
  withPrefix(prefix: string): T[] {
    const out: T[] = [];
    const last = prefix.charCodeAt(prefix.length - 1);
    // Words starting with the prefix sort between it and the prefix with its last code unit one higher.
    const bound = prefix.length > 0 && last < 0xffff ? prefix.slice(0, -1) + String.fromCharCode(last + 1) : undefined;
    for (const entries of [this.main, this.pending]) {
      const start = lowerBound(entries, prefix);
      if (bound === undefined) {
        for (let i = start; i < entries.length; i++) {
          const entry = entries[i] as T;
          if (!entry.word.startsWith(prefix)) break;
          if (!entry.removed) out.push(entry);
        }
        continue;
      }
      const end = lowerBound(entries, bound);
      for (let i = start; i < end; i++) {
        const entry = entries[i] as T;
        if (!entry.removed) out.push(entry);
      }
    }
    return out;
  }
}
