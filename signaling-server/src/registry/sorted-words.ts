/** First index in sorted `words` whose word is not less than `word` (UTF-16 code unit order). */
function lowerBound(words: readonly string[], word: string): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((words[mid] as string) < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges two sorted arrays of distinct words. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (x < y) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++] as string;
  while (j < b.length) out[k++] = b[j++] as string;
  return out;
}

/**
 * The distinct words of a search index, sorted, so all words starting with a prefix are one binary search away.
 *
 * A plain sorted array costs a full shift per new word, which at a million words makes registering a batch slow.
 * So new words go to a small sorted side array that is merged in once it outgrows the square root of the main one
 * (amortised O(√n) per insert), and removed words are only marked and swept out once they are a quarter of the main
 * array. Lookups binary-search both arrays and skip marked words, so they always see exactly the current words.
 */
export class SortedWords {
  private main: string[] = [];
  private pending: string[] = [];
  /** Words still in `main` that were removed. */
  private readonly removed = new Set<string>();

  /** Number of distinct words. */
  get size(): number {
    return this.main.length - this.removed.size + this.pending.length;
  }

  /** Adds a word (no-op if present). */
  add(word: string): void {
    const i = lowerBound(this.main, word);
    if (this.main[i] === word) {
      this.removed.delete(word);
      return;
    }
    const j = lowerBound(this.pending, word);
    if (this.pending[j] === word) return;
    this.pending.splice(j, 0, word);
    if (this.pending.length > Math.max(256, Math.sqrt(this.main.length))) {
      this.main = mergeSorted(this.main, this.pending);
      this.pending = [];
    }
  }

  /** Removes a word (no-op if absent). */
  delete(word: string): void {
    const j = lowerBound(this.pending, word);
    if (this.pending[j] === word) {
      this.pending.splice(j, 1);
      return;
    }
    const i = lowerBound(this.main, word);
    if (this.main[i] !== word) return;
    this.removed.add(word);
    if (this.removed.size > Math.max(1024, this.main.length / 4)) {
      this.main = this.main.filter((w) => !this.removed.has(w));
      this.removed.clear();
    }
  }

  /** Every word starting with `prefix` (in no particular order). */
  withPrefix(prefix: string): string[] {
    const out: string[] = [];
    for (const words of [this.main, this.pending]) {
      for (let i = lowerBound(words, prefix); i < words.length; i++) {
        const word = words[i] as string;
        if (!word.startsWith(prefix)) break;
        if (!this.removed.has(word)) out.push(word);
      }
    }
    return out;
  }
}
