/** Counters per row of the sketches (a power of two): 2 sketches × 2 rows × 64 Ki × 4 bytes = 1 MiB. */
const WIDTH = 1 << 16;
const MASK = WIDTH - 1;
const FNV_PRIME = 16777619;
const BASIS_A = 2166136261;
const BASIS_B = 0x9747b28c;

/**
 * How often words, and beginnings of words, have been seen in the names of files: a count-min sketch (bounded
 * memory, counts never below the truth, a little above it when words collide), so the watch index can file a watch
 * under its rarest term. Every beginning of a word is counted in the one pass that hashes the word (FNV-1a takes the
 * characters in order, so the hash after each character is that of the prefix so far).
 */
export class TermCounts {
  private readonly words = [new Uint32Array(WIDTH), new Uint32Array(WIDTH)] as const;
  private readonly prefixes = [new Uint32Array(WIDTH), new Uint32Array(WIDTH)] as const;

  /** Counts the (folded) words of one name. */
  see(words: readonly string[]): void {
    const [wordsA, wordsB] = this.words;
    const [prefixesA, prefixesB] = this.prefixes;
    for (const word of words) {
      let a = BASIS_A;
      let b = BASIS_B;
      for (let i = 0; i < word.length; i++) {
        const unit = word.charCodeAt(i);
        a = Math.imul(a ^ unit, FNV_PRIME) >>> 0;
        b = Math.imul(b ^ unit, FNV_PRIME) >>> 0;
        prefixesA[a & MASK] = (prefixesA[a & MASK] as number) + 1;
        prefixesB[b & MASK] = (prefixesB[b & MASK] as number) + 1;
      }
      // A word's own hash: the prefix hash, ended (so "sun" the word and "sun" the beginning count apart).
      a = Math.imul(a ^ 0xffff, FNV_PRIME) >>> 0;
      b = Math.imul(b ^ 0xffff, FNV_PRIME) >>> 0;
      wordsA[a & MASK] = (wordsA[a & MASK] as number) + 1;
      wordsB[b & MASK] = (wordsB[b & MASK] as number) + 1;
    }
  }

  /** About how many times `word` was seen (never fewer). */
  word(word: string): number {
    const [a, b] = hashes(word, true);
    return Math.min(this.words[0][a & MASK] as number, this.words[1][b & MASK] as number);
  }

  /** About how many words seen began with `prefix` (never fewer). */
  prefix(prefix: string): number {
    const [a, b] = hashes(prefix, false);
    return Math.min(this.prefixes[0][a & MASK] as number, this.prefixes[1][b & MASK] as number);
  }
}

function hashes(text: string, ended: boolean): [number, number] {
  let a = BASIS_A;
  let b = BASIS_B;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, FNV_PRIME) >>> 0;
    b = Math.imul(b ^ unit, FNV_PRIME) >>> 0;
  }
  if (ended) {
    a = Math.imul(a ^ 0xffff, FNV_PRIME) >>> 0;
    b = Math.imul(b ^ 0xffff, FNV_PRIME) >>> 0;
  }
  return [a, b];
}
