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

/** Entries per block at most before it splits in two: inserting shifts at most this many, finding a block is a binary search. */
const MAX_BLOCK = 1024;

/**
 * The distinct words of a search index, sorted, so all words starting with a prefix are two binary searches away
 * and come out as one run of entries: whatever the owner keeps per word is read straight from them, without a hash
 * lookup per word (a prefix such as "dsc" spans tens of thousands of camera file names).
 *
 * Kept as a list of sorted blocks of at most {@link MAX_BLOCK} entries (a B-tree of height two): an insert or a
 * removal is a binary search for the block, one within it, and a shift of at most a block, whatever the number of
 * words. (One sorted array merged with a side array cost O(√n) string comparisons per new word: registering the
 * benchmark's million files, that merging was a third of the time.)
 */
export class SortedWords<T extends VocabularyEntry> {
  /** Non-empty sorted blocks, in order: every word of a block sorts before every word of the next. */
  private blocks: T[][] = [];
  private count = 0;

  /** Number of distinct words. */
  get size(): number {
    return this.count;
  }

  /** Adds an entry; a no-op if an entry with the same word is in already. */
  add(entry: T): void {
    entry.removed = false;
    if (this.blocks.length === 0) {
      this.blocks.push([entry]);
      this.count = 1;
      return;
    }
    const b = this.blockFor(entry.word);
    const block = this.blocks[b] as T[];
    const i = lowerBound(block, entry.word);
    if (block[i]?.word === entry.word) return;
    block.splice(i, 0, entry);
    this.count++;
    if (block.length > MAX_BLOCK)
      this.blocks.splice(b, 1, block.slice(0, block.length >> 1), block.slice(block.length >> 1));
  }

  /** Removes an entry (a no-op if it is not in). */
  delete(entry: T): void {
    if (entry.removed || this.blocks.length === 0) return;
    const b = this.blockFor(entry.word);
    const block = this.blocks[b] as T[];
    const i = lowerBound(block, entry.word);
    if (block[i] !== entry) return;
    block.splice(i, 1);
    entry.removed = true;
    this.count--;
    if (block.length === 0) this.blocks.splice(b, 1);
  }

  /** Every entry whose word starts with `prefix` (in no particular order). */
  withPrefix(prefix: string): T[] {
    const out: T[] = [];
    if (this.blocks.length === 0) return out;
    for (
      let b = this.blockFor(prefix), i = lowerBound(this.blocks[b] as T[], prefix);
      b < this.blocks.length;
      b++, i = 0
    ) {
      const block = this.blocks[b] as T[];
      for (; i < block.length; i++) {
        const entry = block[i] as T;
        if (!entry.word.startsWith(prefix)) return out;
        out.push(entry);
      }
    }
    return out;
  }

  /** The block where `word` is or would go: the first whose last word is not less than it, else the last block. */
  private blockFor(word: string): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid] as T[];
      if ((block[block.length - 1] as T).word < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
